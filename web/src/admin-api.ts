//! The administration API (`/api/admin/…`, crates/agora-web/src/admin): what the
//! CLI's `agora user|group|resource|mail` commands do, for administrators only. The
//! server decides again on every request; the page only shows the section to those
//! whose session says they administer.
import { json } from './api';

export interface AdminUser {
  login: string;
  displayName: string;
  emails: string[];
  administrator: boolean;
  disabled: boolean;
  usedBytes: number;
  /** The user's own quota: null follows the server's, 0 is unlimited. */
  quotaBytes: number | null;
  /** What applies: null is unlimited. */
  effectiveQuotaBytes: number | null;
  createdAt: string;
}

export interface AdminGroup {
  name: string;
  displayName: string;
  emails: string[];
  members: { name: string; displayName: string; kind: 'user' | 'group' | 'resource' }[];
}

export interface AdminResource {
  name: string;
  displayName: string;
  kind: 'room' | 'equipment';
  emails: string[];
  capacity: number | null;
  autoAccept: boolean;
  /** The group whose members may book it; null: anyone. */
  bookers: string | null;
}

export interface QueuedMail {
  id: number;
  status: 'queued' | 'sent' | 'failed';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  recipient: string;
  lastError: string | null;
}

export interface Health {
  version: string;
  startedAt: string;
  uptimeSeconds: number;
  store: { kind: string; reachable: boolean };
  counts: { users: number; groups: number; resources: number; collections: number; objects: number };
  mail: { queued: number; failed: number; enabled: boolean };
  failingFeeds: { calendar: string; at: string; error: string }[];
  directoryRefresh: { at: string; error: string | null } | null;
}

const seg = encodeURIComponent;

export const listUsers = () => json<{ users: AdminUser[]; serverQuotaBytes: number | null }>('GET', '/api/admin/users');
export const createUser = (u: { login: string; displayName?: string; email?: string; password?: string; administrator?: boolean; quotaBytes?: number | null }) =>
  json<{ user: AdminUser; password?: string }>('POST', '/api/admin/users', u);
export const changeUser = (login: string, change: { disabled?: boolean; administrator?: boolean; quotaBytes?: number | null; resetPassword?: boolean; password?: string }) =>
  json<{ user: AdminUser; password?: string }>('PATCH', `/api/admin/users/${seg(login)}`, change);
export const deleteUser = (login: string) => json<void>('DELETE', `/api/admin/users/${seg(login)}`);

export const listGroups = () => json<{ groups: AdminGroup[] }>('GET', '/api/admin/groups');
export const createGroup = (g: { name: string; displayName?: string; email?: string }) => json<AdminGroup>('POST', '/api/admin/groups', g);
export const deleteGroup = (name: string) => json<void>('DELETE', `/api/admin/groups/${seg(name)}`);
export const addMember = (group: string, member: string) => json<void>('PUT', `/api/admin/groups/${seg(group)}/members/${seg(member)}`);
export const removeMember = (group: string, member: string) => json<void>('DELETE', `/api/admin/groups/${seg(group)}/members/${seg(member)}`);

export const listResources = () => json<{ resources: AdminResource[] }>('GET', '/api/admin/resources');
export const createResource = (r: { name: string; displayName?: string; email?: string; kind: string; capacity?: number | null; autoAccept?: boolean; bookers?: string | null }) =>
  json<AdminResource>('POST', '/api/admin/resources', r);
export const changeResource = (name: string, change: { capacity?: number | null; autoAccept?: boolean; bookers?: string | null }) =>
  json<AdminResource>('PATCH', `/api/admin/resources/${seg(name)}`, change);
export const deleteResource = (name: string) => json<void>('DELETE', `/api/admin/resources/${seg(name)}`);

export const listMail = () => json<{ messages: QueuedMail[]; limit: number }>('GET', '/api/admin/mail');
export const retryMail = (id: number) => json<void>('POST', `/api/admin/mail/${id}/retry`);
export const dropMail = (id: number) => json<void>('DELETE', `/api/admin/mail/${id}`);

export const health = () => json<Health>('GET', '/api/admin/health');
