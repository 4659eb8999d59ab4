import { defineHandlers } from '../registry';
import type { ProjectSession } from '../project/session';
import { profileInteractions } from './profile-interactions';
import { ProfileViews, profileCard } from './profile-view';
import {
  addField,
  createDatabase,
  databaseDetail,
  deleteDatabase,
  deletionImpact,
  fieldUsage,
  listDatabases,
  listFields,
  removeField,
  renameDatabase,
  requireDatabase,
  requireField,
  updateField,
} from './repository';

const viewsBySession = new WeakMap<ProjectSession, ProfileViews>();

/** The profile views of a session: they live as long as its database connection. */
export function profileViews(session: ProjectSession): ProfileViews {
  let views = viewsBySession.get(session);
  if (!views) {
    views = new ProfileViews(session.db);
    viewsBySession.set(session, views);
  }
  return views;
}

export const databaseHandlers = defineHandlers({
  'database/list': (_args, { state }) => listDatabases(state.requireSession().db),

  'database/get': ({ databaseId }, { state }) => databaseDetail(state.requireSession().db, databaseId),

  'database/create': ({ name, fields }, { state, deps }) => {
    const { db } = state.requireSession();
    const id = createDatabase(db, name, fields ?? [], deps.now());
    return databaseDetail(db, id);
  },

  'database/rename': ({ databaseId, name }, { state }) => {
    const { db } = state.requireSession();
    renameDatabase(db, databaseId, name);
    return databaseDetail(db, databaseId);
  },

  'database/deletionImpact': ({ databaseId }, { state }) => deletionImpact(state.requireSession().db, databaseId),

  'database/delete': ({ databaseId }, { state }) => {
    const session = state.requireSession();
    profileViews(session).clear();
    return deleteDatabase(session.db, databaseId);
  },

  'field/add': ({ databaseId, field }, { state, deps }) => addField(state.requireSession().db, databaseId, field, deps.now()),

  'field/update': ({ fieldId, name, enumValues }, { state }) => updateField(state.requireSession().db, fieldId, { name, enumValues }),

  'field/list': ({ databaseId }, { state }) => {
    const { db } = state.requireSession();
    requireDatabase(db, databaseId);
    return listFields(db, databaseId);
  },

  'field/usage': ({ fieldId }, { state }) => ({ fieldId, valuesStored: fieldUsage(state.requireSession().db, fieldId) }),

  'field/remove': ({ fieldId }, { state }) => {
    const session = state.requireSession();
    requireField(session.db, fieldId);
    profileViews(session).clear();
    return removeField(session.db, fieldId);
  },

  // A first sort is read in steps: a members page asked meanwhile is answered between two.
  'profile/list': ({ databaseId, offset, limit, sort, search }, { state, letShortReadsPass }) =>
    profileViews(state.requireSession()).pageWithPauses({ databaseId, sort, search }, offset, limit, letShortReadsPass ?? (() => Promise.resolve())),

  'profile/get': ({ databaseId, profileId }, { state }) => profileCard(state.requireSession().db, databaseId, profileId),

  'profile/interactions': ({ databaseId, profileId }, { state }) => profileInteractions(state.requireSession().db, databaseId, profileId),
});
