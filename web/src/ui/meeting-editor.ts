//! What the editor and the agenda need from meetings, in a few calls: the meeting of a
//! stored event (with the user's place in it and the attendees' reply comments), the
//! editor's attendee section wired to the room finder and the assistant, and, after a
//! save, the rooms' answers (the server books rooms during the PUT itself).
import { load } from '../actions';
import { t } from '../i18n';
import { bareAddress, normalizeAddress, readMeeting, roleIn } from '../meeting';
import { openAssistant } from './assistant';
import { attendeeSection, type AttendeeSection, type EditorTimes, type MeetingContext } from './attendees';
import { openRoomFinder } from './rooms';
import { toast } from './toast';

export type { MeetingContext, EditorTimes };

const EMPTY: MeetingContext = { meeting: { uid: '', organizer: null, attendees: [] }, role: 'none', comments: new Map() };

/** The meeting of the event at `href`; `answered` runs after the user answers it. */
export async function meetingContext(href: string, answered: () => void, ics?: string): Promise<MeetingContext> {
  try {
    const meeting = readMeeting(ics ?? (await load(href)).ics);
    const role = roleIn(meeting);
    const comments = new Map<string, string>();
    if (role === 'organizer') for (const a of meeting.attendees) if (a.comment) comments.set(normalizeAddress(a.address), a.comment);
    return { meeting, role, comments, href, answered };
  } catch {
    return EMPTY;
  }
}

/** Whether the event's details (title, times, place) are not the user's to change: an
 * invitation they received. The server would apply such a change to their copy only,
 * and the organiser's next update would undo it (RFC 6638 §3.2.2). */
export function detailsLocked(ctx?: MeetingContext): boolean {
  return ctx?.role === 'attendee';
}

/** The editor's attendee section (`ctx` undefined for a new event). */
export function meetingSection(ctx: MeetingContext | undefined, times: EditorTimes, readOnly: boolean, closeEditor: () => void): AttendeeSection {
  return attendeeSection(ctx ?? EMPTY, times, readOnly, closeEditor, { assistant: openAssistant, rooms: openRoomFinder });
}

/** After a save: say what the rooms answered (ACCEPTED, or DECLINED when taken). */
export async function announceRooms(href: string): Promise<void> {
  try {
    const { attendees } = readMeeting((await load(href)).ics);
    const rooms = attendees.filter((a) => a.cutype === 'ROOM');
    if (!rooms.length) return;
    const words = rooms.map((r) => t(`rooms.reply.${r.partstat === 'ACCEPTED' || r.partstat === 'DECLINED' ? r.partstat : 'NEEDS-ACTION'}`, { name: r.name || bareAddress(r.address) }));
    toast(words.join(' '), undefined, rooms.some((r) => r.partstat === 'DECLINED') ? 'error' : 'info');
  } catch {
    /* the save itself succeeded; this is only news */
  }
}
