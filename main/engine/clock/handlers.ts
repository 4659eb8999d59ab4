/**
 * The project clock's methods: what an advance would run (`clock/plan`), the advance itself
 * (`clock/advance`, advance.ts), and what is scheduled next (`clock/agenda`).
 */
import { defineHandlers } from '../registry';
import { advanceClock } from './advance';
import { agenda, planAdvance } from './plan';

export const clockHandlers = defineHandlers({
  'clock/plan': ({ to }, { state }) => planAdvance(state.requireSession().db, to),
  'clock/advance': ({ to, step }, ctx) => advanceClock(ctx, to, step),
  'clock/agenda': ({ limit }, { state }) => agenda(state.requireSession().db, limit),
});
