/**
 * The simulator's engine methods (contract shared/contract/simulate.ts). The scan, the
 * balance table and the saved simulations live beside this file; the Monte Carlo in
 * monte-carlo-handler.ts.
 */
import { defineHandlers } from '../registry';
import { balanceHandler } from './balance';
import { monteCarloHandlers } from './monte-carlo-handler';
import { deleteSimulation, getSimulation, listSimulations, saveSimulation } from './saved';
import { scanHandler } from './scan';

export const simulateHandlers = defineHandlers({
  'simulate/scan': (source, ctx) => scanHandler(source, ctx),

  // The Monte Carlo ('simulate/monteCarlo'), from its own module: registered here only.
  ...monteCarloHandlers,

  'simulate/balance': (args, ctx) => balanceHandler(args, ctx),

  'simulate/save': ({ name, body }, ctx) => saveSimulation(ctx, name, body),

  'simulate/list': ({ campaignId }, { state }) => listSimulations(state.requireSession().db, campaignId),

  'simulate/get': ({ id }, { state }) => getSimulation(state.requireSession().db, id),

  'simulate/delete': ({ id }, { state }) => deleteSimulation(state.requireSession().db, id),
});
