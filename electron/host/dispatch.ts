/**
 * The one door into the host for both transports: checks the method is in the contract, validates its
 * argument against the contract's schema, calls the host and wraps the outcome in a plain envelope.
 */
import { ZodError } from 'zod';
import { isHostMethod, parseArguments, type HostApi } from '../../shared/contract/host-api';
import { toErrorPayload, VerkostoError, type ErrorPayload } from '../../shared/errors';

export type CallEnvelope = { ok: true; result: unknown } | { ok: false; error: ErrorPayload };

export async function dispatchCall(host: HostApi, method: unknown, args: unknown): Promise<CallEnvelope> {
  try {
    if (!isHostMethod(method)) throw new VerkostoError('unknownMethod', { method: String(method).slice(0, 100) });
    let parsed: unknown;
    try {
      parsed = parseArguments(method, args);
    } catch (error) {
      if (error instanceof ZodError) {
        const issue = error.issues[0];
        const where = issue?.path.join('.') || 'args';
        throw new VerkostoError('invalidArgument', { detail: `${method}: ${where}: ${issue?.message ?? 'invalid'}` });
      }
      throw error;
    }
    const call = host[method] as (arg: unknown) => Promise<unknown>;
    const result = await call.call(host, parsed);
    return { ok: true, result: result ?? null };
  } catch (error) {
    return { ok: false, error: toErrorPayload(error) };
  }
}
