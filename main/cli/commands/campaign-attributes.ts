/**
 * `cplan campaign attribute` and `--attribute NAME=VALUE`: the project's campaign attributes
 * (required or optional, free text or a list of choices).
 */
import type { CampaignAttribute } from '../../../shared/contract/campaigns';
import { EngineError } from '../../../shared/contract/errors';
import type { CliEngine } from '../cli-engine';
import { UsageError } from '../command';
import { table } from '../text-table';
import { flag, listOption, stringOption, type Action, type Values } from './plan-args';
import { sameName } from './project-args';

/** --attribute NAME=VALUE (repeatable) as values by attribute id. */
export async function attributeValues(engine: CliEngine, values: Values): Promise<Record<string, string> | undefined> {
  const specs = listOption(values, 'attribute');
  if (specs.length === 0) return undefined;
  const defined = await engine.call('attribute/list', {});
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new UsageError(`--attribute "${spec}": expected NAME=VALUE`);
    const name = spec.slice(0, eq).trim();
    const attribute = defined.find((a) => sameName(a.name, name));
    if (!attribute) {
      throw new EngineError('NOT_FOUND', `There is no campaign attribute "${name}"; ${defined.length === 0 ? 'define one with "cplan campaign attribute FILE define NAME"' : `there are ${defined.map((a) => `"${a.name}"`).join(', ')}`}.`);
    }
    out[String(attribute.id)] = spec.slice(eq + 1);
  }
  return out;
}

function attributesText(attributes: readonly CampaignAttribute[]): string {
  if (attributes.length === 0) return 'No campaign attributes.';
  return table(
    ['Name', 'Required', 'Values'],
    attributes.map((a) => [a.name, a.required ? 'yes' : 'no', a.choices.length === 0 ? 'free text' : a.choices.join(' | ')]),
  );
}

export const attributeAction: Action = {
  args: 'list | define NAME [--required] [--choices A|B] | remove NAME',
  min: 1,
  max: 2,
  options: ['required', 'choices'],
  async run(context) {
    const { engine, values, args } = context;
    const [sub, name] = args;
    if (sub === 'list' && name === undefined) {
      if (values.required !== undefined || values.choices !== undefined) throw new UsageError('--required and --choices go with "define"');
      const attributes = await engine.call('attribute/list', {});
      return { data: attributes, text: attributesText(attributes) };
    }
    if (sub === 'define' && name !== undefined) {
      const choices = stringOption(values, 'choices');
      const attribute = await engine.call('attribute/define', {
        name,
        required: flag(values, 'required'),
        ...(choices === undefined ? {} : { choices: choices.split('|').map((c) => c.trim()).filter((c) => c !== '') }),
      });
      await context.save();
      return { data: attribute, text: `Defined the campaign attribute "${attribute.name}"${attribute.required ? ' (required)' : ''}.` };
    }
    if (sub === 'remove' && name !== undefined) {
      if (values.required !== undefined || values.choices !== undefined) throw new UsageError('--required and --choices go with "define"');
      const defined = await engine.call('attribute/list', {});
      const attribute = defined.find((a) => sameName(a.name, name));
      if (!attribute) throw new EngineError('NOT_FOUND', `There is no campaign attribute "${name}".`);
      const left = await engine.call('attribute/remove', { attributeId: attribute.id });
      await context.save();
      return { data: left, text: `Removed the campaign attribute "${attribute.name}".\n\n${attributesText(left)}` };
    }
    throw new UsageError('usage: cplan campaign attribute FILE.cplan list | define NAME [--required] [--choices A|B] | remove NAME');
  },
};
