//! Every section of the page, registered in one place (one line each; see sections.ts).
import { t } from '../i18n';
import { adminPage, isAdministrator } from './admin-section';
import { appPage } from './app';
import { SECTION_ICONS, registerSection } from './sections';
import { settingsPage } from './settings';
import { contactsPage } from './contacts-page';
import { tasksPage } from './tasks-page';
import { notesPage } from './notes-page';
import './delegation-pane';
import './working-hours';
import './settings-password';
import './settings-devices';
import './trash-pane';

void t; // keeps i18n loaded before any section's module is evaluated

registerSection({ id: 'calendar', label: 'sections.calendar', icon: SECTION_ICONS.calendar, order: 0, page: (ctx) => appPage(ctx) });
registerSection({ id: 'contacts', label: 'sections.contacts', icon: SECTION_ICONS.contacts, order: 10, page: contactsPage });
registerSection({ id: 'tasks', label: 'sections.tasks', icon: SECTION_ICONS.tasks, order: 20, page: tasksPage });
registerSection({ id: 'notes', label: 'sections.notes', icon: SECTION_ICONS.notes, order: 30, page: notesPage });
registerSection({ id: 'settings', label: 'sections.settings', icon: SECTION_ICONS.settings, order: 90, page: settingsPage });
registerSection({ id: 'admin', label: 'sections.admin', icon: SECTION_ICONS.admin, order: 95, visible: isAdministrator, page: adminPage });
