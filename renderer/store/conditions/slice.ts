import type { Condition } from '../../../shared/contract/conditions';
import { EngineError } from '../../../shared/contract/index';
import { parseCondition, type ConditionSyntaxError } from '../../../shared/conditions/parse';
import { printCondition } from '../../../shared/conditions/print';
import { describeError } from '../notices/messages';
import type { AppState, SliceCreator, StoreDeps } from '../types';
import { buildCondition, draftFromCondition, newGroup, type BuiltCondition, type DraftNode } from './draft';

export type ConditionMode = 'build' | 'text';

/** The live count of the condition being edited, from the engine's segment/preview. */
export interface ConditionCount {
  readonly status: 'idle' | 'counting' | 'done' | 'error';
  /** The canonical text counted (or being counted). */
  readonly where: string | null;
  readonly total: number | null;
  /** The project clock it was counted at. */
  readonly clock: string | null;
  /** The engine's refusal, and the leaf it names (as text) when it names one. */
  readonly error: string | null;
  readonly errorLeaf: string | null;
}

export interface ConditionEditorState {
  readonly databaseId: number;
  readonly root: DraftNode;
  readonly mode: ConditionMode;
  /** The text mode's text as typed, and where it does not read. */
  readonly text: string;
  readonly textError: ConditionSyntaxError | null;
  /** Why the mode did not switch (the tree or the text is not finished). */
  readonly modeProblem: string | null;
  readonly count: ConditionCount;
  /** The database's event types (before the clock), for the event leaves' menu. */
  readonly eventTypes: readonly string[];
}

export interface ConditionsSlice {
  conditionEditor: ConditionEditorState | null;
  openConditionEditor(databaseId: number, initial?: Condition): void;
  closeConditionEditor(): void;
  /** Applies a tree operation (shared by the editor's buttons: draft.ts). */
  changeConditionTree(edit: (root: DraftNode) => DraftNode): void;
  setConditionMode(mode: ConditionMode): void;
  setConditionText(text: string): void;
}

/** How long typing pauses before the count is asked for. */
export const COUNT_DELAY_MS = 300;

const IDLE: ConditionCount = { status: 'idle', where: null, total: null, clock: null, error: null, errorLeaf: null };

/** The draft built against its database's fields (as loaded now). */
export function builtCondition(state: AppState): BuiltCondition | null {
  const editor = state.conditionEditor;
  if (!editor) return null;
  return buildCondition(editor.root, state.databaseDetails[editor.databaseId]?.fields ?? []);
}

/**
 * The tree node of the leaf the engine refused, found when the tree is shown rather than
 * when the refusal came: a refusal that came in text mode is still put next to its leaf
 * after switching to the tree (the count is not asked again for the same condition). In
 * text mode there is no tree to point into: none.
 */
export function refusedNode(editor: ConditionEditorState, built: BuiltCondition): string | null {
  const { count } = editor;
  return editor.mode === 'build' && count.status === 'error' && count.errorLeaf !== null ? (built.leafNodes.get(count.errorLeaf) ?? null) : null;
}

/** The condition the editor holds now: the text's in text mode, the tree's otherwise; null while unfinished. */
export function currentCondition(state: AppState): Condition | null {
  const editor = state.conditionEditor;
  if (!editor) return null;
  if (editor.mode === 'text') {
    const parsed = parseCondition(editor.text);
    return parsed.ok ? parsed.condition : null;
  }
  return builtCondition(state)?.condition ?? null;
}

/** What keeps the condition from being used, in words; null when it can be. */
export function conditionProblem(state: AppState): string | null {
  const editor = state.conditionEditor;
  if (!editor) return 'Build the condition.';
  if (editor.mode === 'text') {
    if (editor.text.trim() === '') return 'Type the condition.';
    return editor.textError ? `The condition does not read: ${editor.textError.message}` : null;
  }
  const built = builtCondition(state);
  if (!built || built.condition) return null;
  return built.problems.get('') ?? 'Finish the condition: a test is missing a value.';
}

export const createConditionsSlice =
  (deps: StoreDeps): SliceCreator<ConditionsSlice> =>
  (set, get) => {
    const { client } = deps;
    let timer: ReturnType<typeof setTimeout> | null = null;
    // Each count asked gets a number; an answer to an older one is dropped.
    let asked = 0;

    const patch = (change: Partial<ConditionEditorState>) => {
      const editor = get().conditionEditor;
      if (editor) set({ conditionEditor: { ...editor, ...change } });
    };

    const scheduleCount = () => {
      const editor = get().conditionEditor;
      const condition = currentCondition(get());
      const where = condition ? printCondition(condition) : null;
      // The same condition already counted or being counted (the mode switched, say): nothing to ask.
      if (editor && where !== null && editor.count.where === where && editor.count.status !== 'idle') return;
      if (timer) clearTimeout(timer);
      timer = null;
      asked += 1;
      if (!editor || !condition || where === null) {
        patch({ count: IDLE });
        return;
      }
      const ticket = asked;
      patch({ count: { ...editor.count, status: 'counting', where } });
      timer = setTimeout(() => {
        timer = null;
        void count(ticket, editor.databaseId, condition, where);
      }, COUNT_DELAY_MS);
    };

    const count = async (ticket: number, databaseId: number, condition: Condition, where: string) => {
      try {
        const preview = await client.call('segment/preview', { databaseId, condition, limit: 0 });
        if (ticket !== asked) return;
        patch({ count: { status: 'done', where, total: preview.total, clock: preview.clock, error: null, errorLeaf: null } });
      } catch (error) {
        if (ticket !== asked) return;
        // The engine names a leaf it cannot evaluate by its text; the tree finds the node when shown (refusedNode).
        const errorLeaf = error instanceof EngineError && typeof error.details?.leaf === 'string' ? error.details.leaf : null;
        patch({ count: { status: 'error', where, total: null, clock: null, error: describeError(error).message, errorLeaf } });
      }
    };

    const loadEventTypes = async (databaseId: number) => {
      try {
        const listed = await client.call('events/list', { databaseId, limit: 1 });
        if (get().conditionEditor?.databaseId === databaseId) patch({ eventTypes: listed.types.map((t) => t.type) });
      } catch {
        // The menu then offers no types; a type can still be typed.
      }
    };

    return {
      conditionEditor: null,

      openConditionEditor(databaseId, initial) {
        const root = initial ? draftFromCondition(initial) : newGroup('and');
        set({
          conditionEditor: { databaseId, root, mode: 'build', text: initial ? printCondition(initial) : '', textError: null, modeProblem: null, count: IDLE, eventTypes: [] },
        });
        void loadEventTypes(databaseId);
        if (get().segments === null) void get().loadSegments();
        if (get().campaigns === null) void get().loadCampaigns();
        scheduleCount();
      },

      closeConditionEditor() {
        if (timer) clearTimeout(timer);
        timer = null;
        asked += 1;
        set({ conditionEditor: null });
      },

      changeConditionTree(edit) {
        const editor = get().conditionEditor;
        if (!editor) return;
        patch({ root: edit(editor.root), modeProblem: null });
        const condition = currentCondition(get());
        if (condition) patch({ text: printCondition(condition), textError: null });
        scheduleCount();
      },

      setConditionMode(mode) {
        const editor = get().conditionEditor;
        if (!editor || editor.mode === mode) return;
        if (mode === 'text') {
          const built = builtCondition(get());
          const empty = editor.root.type === 'group' && editor.root.items.length === 0;
          if (built && !built.condition && !empty) {
            patch({ modeProblem: 'Finish the conditions marked below (or remove them) before switching to text.' });
            return;
          }
          patch({ mode, text: built?.condition ? printCondition(built.condition) : '', textError: null, modeProblem: null });
        } else {
          if (editor.textError) {
            patch({ modeProblem: 'Fix the text first: the tree shows only a condition that reads.' });
            return;
          }
          patch({ mode, modeProblem: null });
        }
        scheduleCount();
      },

      setConditionText(text) {
        const editor = get().conditionEditor;
        if (!editor) return;
        if (text.trim() === '') {
          patch({ text, textError: null, root: newGroup('and'), modeProblem: null });
        } else {
          const parsed = parseCondition(text);
          patch(parsed.ok ? { text, textError: null, root: draftFromCondition(parsed.condition), modeProblem: null } : { text, textError: parsed.error, modeProblem: null });
        }
        scheduleCount();
      },
    };
  };
