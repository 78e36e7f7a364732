// A real DAV client for the e2e tests: python caldav (web/e2e/caldav_client.py) run with
// the python of the conformance venv, named by E2E_PYTHON (scripts/web-e2e sets it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DAV, USER } from './lib.mjs';

const CAL = `/calendars/${USER.login}/calendar/`;
const CLIENT = fileURLToPath(new URL('./caldav_client.py', import.meta.url));

/** Runs the python caldav client; its answer is JSON (or a UID). */
export async function davClient(cmd, args = [], user = USER, calendar = CAL) {
  const python = process.env.E2E_PYTHON;
  assert.ok(python, 'E2E_PYTHON must name the python of the conformance venv (scripts/web-e2e sets it)');
  const { stdout } = await promisify(execFile)(python, [CLIENT, cmd, DAV, user.login, user.password, calendar, ...args], { timeout: 60000 });
  return stdout.trim();
}

