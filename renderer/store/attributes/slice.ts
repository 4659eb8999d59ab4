import type { CampaignAttribute } from '../../../shared/contract/index';
import type { SliceCreator, StoreDeps } from '../types';
import { loadForProject } from '../load';

export interface AttributeDraft {
  readonly name: string;
  readonly required: boolean;
  /** Allowed values; empty for free text. */
  readonly choices: readonly string[];
}

export interface AttributesSlice {
  /** The campaign attributes defined for the project; null until loaded. */
  attributes: readonly CampaignAttribute[] | null;
  loadAttributes(): Promise<void>;
  defineAttribute(draft: AttributeDraft): Promise<CampaignAttribute | null>;
  /** Asks first: every campaign's value of it goes. */
  removeAttribute(attribute: CampaignAttribute): Promise<boolean>;
  resetAttributes(): void;
}

export const createAttributesSlice =
  (deps: StoreDeps): SliceCreator<AttributesSlice> =>
  (set, get) => {
    let epoch = 0;
    return {
      attributes: null,

      async loadAttributes() {
        await loadForProject(get, () => epoch, () => deps.client.call('attribute/list', {}), (attributes) => set({ attributes }));
      },

      async defineAttribute(draft) {
        try {
          const attribute = await deps.client.call('attribute/define', {
            name: draft.name.trim(),
            required: draft.required,
            ...(draft.choices.length > 0 ? { choices: [...draft.choices] } : {}),
          });
          set({ attributes: [...(get().attributes ?? []).filter((a) => a.id !== attribute.id), attribute] });
          return attribute;
        } catch (error) {
          get().reportError(error);
          return null;
        }
      },

      async removeAttribute(attribute) {
        const choice = await get().askConfirm({
          title: `Remove the attribute "${attribute.name}"?`,
          message: 'Every campaign loses its value of this attribute. This cannot be undone once the project is saved.',
          choices: [
            { id: 'remove', label: 'Remove attribute', tone: 'danger' },
            { id: 'cancel', label: 'Cancel', tone: 'plain' },
          ],
          defaultChoice: 'cancel',
          cancelChoice: 'cancel',
        });
        if (choice !== 'remove') return false;
        try {
          set({ attributes: await deps.client.call('attribute/remove', { attributeId: attribute.id }) });
          void get().loadCampaigns();
          return true;
        } catch (error) {
          get().reportError(error);
          return false;
        }
      },

      resetAttributes() {
        epoch += 1;
        set({ attributes: null });
      },
    };
  };
