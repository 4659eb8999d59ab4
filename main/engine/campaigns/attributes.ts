/**
 * Campaign attributes defined for the project ("mandatory attributes" of the guide): every
 * campaign carries a value for each required one; attributes with choices take only those
 * values. Values live in campaigns.attributes as JSON keyed by attribute id.
 */
import { z } from 'zod';
import type { CampaignAttribute } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import type { SqlDb } from '../sqlite/database';
import { storedJson } from '../sqlite/stored-values';

const Choices = z.array(z.string());

export function listAttributes(db: SqlDb): CampaignAttribute[] {
  return db
    .all<{ id: number; name: string; required: number; choices: string }>('SELECT id, name, required, choices FROM campaign_attributes ORDER BY id')
    .map((r) => ({ id: Number(r.id), name: String(r.name), required: Number(r.required) === 1, choices: storedJson(Choices, r.choices, `the choices of the campaign attribute "${String(r.name)}"`) }));
}

export function defineAttribute(db: SqlDb, draft: { name: string; required: boolean; choices?: readonly string[] | undefined }): CampaignAttribute {
  const name = draft.name.trim();
  const taken = listAttributes(db).find((a) => a.name.localeCompare(name, undefined, { sensitivity: 'accent' }) === 0);
  if (taken) throw new EngineError('ALREADY_EXISTS', `A campaign attribute named "${taken.name}" already exists.`, { name });
  const choices = [...new Set((draft.choices ?? []).map((c) => c.trim()))];
  db.run('INSERT INTO campaign_attributes (name, required, choices) VALUES (?, ?, ?)', [name, draft.required ? 1 : 0, JSON.stringify(choices)]);
  const id = Number(db.scalar('SELECT last_insert_rowid()'));
  return { id, name, required: draft.required, choices };
}

/** Removes an attribute and its value from every campaign. */
export function removeAttribute(db: SqlDb, attributeId: number): CampaignAttribute[] {
  const exists = db.scalar('SELECT 1 FROM campaign_attributes WHERE id = ?', [attributeId]);
  if (exists === undefined) throw new EngineError('NOT_FOUND', `There is no campaign attribute with id ${attributeId}.`, { attributeId });
  db.transaction(() => {
    db.run('DELETE FROM campaign_attributes WHERE id = ?', [attributeId]);
    db.run(`UPDATE campaigns SET attributes = json_remove(attributes, '$."' || ? || '"') WHERE json_extract(attributes, '$."' || ? || '"') IS NOT NULL`, [
      String(attributeId),
      String(attributeId),
    ]);
  });
  return listAttributes(db);
}

/**
 * The attribute values a campaign will have after `given` is applied to `current`: an empty
 * value clears one. Refuses unknown attributes, values outside the choices, and (on create,
 * or when cleared) a required attribute without a value, naming each.
 */
export function resolveAttributes(
  db: SqlDb,
  current: Readonly<Record<string, string>>,
  given: Readonly<Record<string, string>> | undefined,
  creating: boolean,
): Record<string, string> {
  const attributes = listAttributes(db);
  const byId = new Map(attributes.map((a) => [String(a.id), a]));
  const next: Record<string, string> = { ...current };
  for (const [id, raw] of Object.entries(given ?? {})) {
    const attribute = byId.get(id);
    if (!attribute) throw new EngineError('INVALID_ARGUMENT', `There is no campaign attribute with id ${id}.`, { attributeId: id });
    const value = raw.trim();
    if (value === '') {
      if (attribute.required) throw new EngineError('REFUSED', `"${attribute.name}" is required: it cannot be left empty.`, { attributeId: attribute.id });
      delete next[id];
      continue;
    }
    if (attribute.choices.length > 0 && !attribute.choices.includes(value)) {
      throw new EngineError('INVALID_ARGUMENT', `"${value}" is not a choice of "${attribute.name}": choose one of ${attribute.choices.map((c) => `"${c}"`).join(', ')}.`, {
        attributeId: attribute.id,
      });
    }
    next[id] = value;
  }
  if (creating) {
    const missing = attributes.filter((a) => a.required && (next[String(a.id)] ?? '') === '');
    if (missing.length > 0) {
      throw new EngineError(
        'INVALID_ARGUMENT',
        `Fill in the required attribute${missing.length === 1 ? '' : 's'} ${missing.map((a) => `"${a.name}"`).join(', ')}.`,
        { missing: missing.map((a) => a.id) },
      );
    }
  }
  // Values of attributes that no longer exist are dropped.
  for (const id of Object.keys(next)) if (!byId.has(id)) delete next[id];
  return next;
}
