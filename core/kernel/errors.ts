/**
 * Engine errors. Every failure the engine reports carries what PowerShell needs to build an ErrorRecord:
 * an id (becomes ErrorId `Woosoo.<errorId>`), a category (a System.Management.Automation.ErrorCategory name),
 * the object it concerns and what to do about it.
 */
import { redact } from '../util/redact';

export const ERROR_CATEGORIES = [
  'NotSpecified', 'OpenError', 'CloseError', 'DeviceError', 'DeadlockDetected', 'InvalidArgument', 'InvalidData',
  'InvalidOperation', 'InvalidResult', 'InvalidType', 'MetadataError', 'NotImplemented', 'NotInstalled',
  'ObjectNotFound', 'OperationStopped', 'OperationTimeout', 'SyntaxError', 'ParserError', 'PermissionDenied',
  'ResourceBusy', 'ResourceExists', 'ResourceUnavailable', 'ReadError', 'WriteError', 'FromStdErr', 'SecurityError',
  'ProtocolError', 'ConnectionError', 'AuthenticationError', 'LimitsExceeded', 'QuotaExceeded', 'NotEnabled',
] as const;
export type ErrorCategory = (typeof ERROR_CATEGORIES)[number];

/** JSON-RPC error codes used by the engine (the -326xx range is JSON-RPC's own). */
export const RpcCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  ServerNotInitialized: -32002,
  /** An engine error with Woosoo data (the usual failure of a method). */
  EngineError: -32000,
  RequestCancelled: -32800,
} as const;

export interface ErrorData {
  errorId: string;
  category: ErrorCategory;
  targetObject?: string;
  recommendedAction?: string;
}

export class WoosooError extends Error {
  readonly errorId: string;
  readonly category: ErrorCategory;
  readonly targetObject?: string;
  readonly recommendedAction?: string;
  readonly code: number;

  constructor(
    errorId: string,
    message: string,
    opts: { category?: ErrorCategory; target?: string; fix?: string; code?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'WoosooError';
    this.errorId = errorId;
    this.category = opts.category ?? 'NotSpecified';
    this.targetObject = opts.target;
    this.recommendedAction = opts.fix;
    this.code = opts.code ?? RpcCode.EngineError;
  }

  toData(): ErrorData {
    const data: ErrorData = { errorId: this.errorId, category: this.category };
    if (this.targetObject !== undefined) data.targetObject = redact(this.targetObject);
    if (this.recommendedAction !== undefined) data.recommendedAction = redact(this.recommendedAction);
    return data;
  }
}

/** The JSON-RPC error object for anything thrown by a method. Secrets are masked on the way out. */
export function toRpcError(err: unknown): { code: number; message: string; data: ErrorData } {
  if (err instanceof WoosooError) {
    return { code: err.code, message: redact(err.message), data: err.toData() };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    code: RpcCode.InternalError,
    message: redact(`Internal engine error: ${message}`),
    data: {
      errorId: 'InternalError',
      category: 'NotSpecified',
      recommendedAction: 'This is a bug in Woosoo. Run the command again with -Debug and report the engine log.',
    },
  };
}

/** A per-item failure that does not stop the others: the module writes it as a non-terminating error. */
export interface ItemError {
  message: string;
  data: ErrorData;
}

export function toItemError(err: unknown): ItemError {
  const { message, data } = toRpcError(err);
  return { message, data };
}
