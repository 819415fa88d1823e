/**
 * `POST /aura`: the Aura endpoint Lightning pages post Apex actions to (form fields `message`,
 * `aura.context`, `aura.token`). Only `ApexActionController/ACTION$execute` is served: the method runs
 * in the org's Apex runtime as the session's user, through the same host entry as Apex REST
 * (ctx.apexHost), whose class-access check applies.
 */
import type { ServerResponse } from 'node:http';
import type { RequestContext } from '../http/contracts.ts';
import { parseForm, parseJsonText, sendJson } from '../http/http.ts';
import { runAuraAction, type AuraActionResult } from '../../apex/index.ts';
import type { BrowserSession } from './uiSessions.ts';

interface AuraAction {
  id?: string;
  descriptor?: string;
  params?: { classname?: string; method?: string; namespace?: string; params?: Record<string, unknown>; cacheable?: boolean };
}

async function runAction(ctx: RequestContext, userId: string, action: AuraAction): Promise<Record<string, unknown>> {
  const id = action.id ?? '';
  const error = (message: string) => ({
    id,
    state: 'ERROR',
    returnValue: null,
    error: [{ message, exceptionType: '', isUserDefinedException: false, stackTrace: '' }],
  });
  if (action.descriptor !== 'aura://ApexActionController/ACTION$execute') {
    return error(
      `The local platform serves only Apex actions (aura://ApexActionController/ACTION$execute), not ${action.descriptor ?? 'an action without descriptor'}.`,
    );
  }
  const p = action.params ?? {};
  if (!p.classname || !p.method) return error('An Apex action needs params.classname and params.method.');
  const request = { className: p.classname, methodName: p.method, params: p.params ?? {}, cacheable: p.cacheable === true };
  // On an Apex worker thread when the platform has them (apexPool.ts), so a runaway action stalls no other request.
  const result: AuraActionResult = ctx.runApex
    ? await ctx.runApex<AuraActionResult>('runAuraAction', userId, [request])
    : await runAuraAction(ctx.apexHost(userId), request);
  if (result.ok) return { id, state: 'SUCCESS', returnValue: { returnValue: result.returnValue, cacheable: result.cacheable }, error: [] };
  return { id, state: 'ERROR', returnValue: null, error: [result.error] };
}

export async function auraEndpoint(
  ctx: RequestContext,
  session: BrowserSession | undefined,
  body: Buffer,
  res: ServerResponse,
): Promise<void> {
  const form = parseForm(body);
  // Unverified: Salesforce answers an expired session with an aura:invalidSession event; the client shows the message.
  if (!session)
    return sendJson(res, 401, {
      event: {
        descriptor: 'markup://aura:invalidSession',
        message: 'Your session has ended. Open the org again: npx sf org open --target-org <alias>',
      },
    });
  if (form['aura.token'] !== session.csrf)
    return sendJson(res, 403, { event: { descriptor: 'markup://aura:clientOutOfSync', message: 'Invalid aura.token: reload the page.' } });
  let actions: AuraAction[];
  try {
    actions = (parseJsonText(form.message ?? '') as { actions?: AuraAction[] }).actions ?? [];
  } catch {
    return sendJson(res, 400, { message: 'The form field message must be JSON with an actions array.' });
  }
  const out: Record<string, unknown>[] = [];
  for (const action of actions) out.push(await runAction(ctx, session.userId, action));
  sendJson(res, 200, { actions: out, context: { mode: 'PROD', app: 'one:one' } });
}
