//! The Administration section as pages.ts registers it: the frame (admin.ts) with its
//! panes in order — users, groups, rooms and equipment, mail queue, health.
import '../styles/admin.css';
import './admin-users';
import './admin-directory';
import './admin-status';

export { adminPage, isAdministrator } from './admin';
