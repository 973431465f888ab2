/**
 * Errors that cross the host contract carry a stable code and parameters; the renderer and the CLI
 * turn them into a sentence in the user's language (keys `errors.<code>` in shared/i18n).
 */
export const ERROR_CODES = [
  'invalidArgument',
  'unknownMethod',
  'notAGeoPackage',
  'notAVerkostoProject',
  'corruptFile',
  'fileNotFound',
  'fileReadOnly',
  'fileExists',
  'newerSchema',
  'unsupportedCrs',
  'noProjectOpen',
  'pathNotAllowed',
  'unknownFeature',
  'commandRejected',
  'nothingToUndo',
  'nothingToRedo',
  'sampleDataMissing',
  'forbidden',
  'geometryRejected',
  'assignmentCsvHeader',
  'assignmentCsvUnknownUnit',
  'assignmentCsvUnknownCatchment',
  'assignmentCsvOtherSet',
  'importCancelled',
  'importEmpty',
  'importUnreadable',
  'importTooLarge',
  'importCrsUnknown',
  'importCrsUnsupported',
  'importSwappedAxes',
  'importOutsideArea',
  'importInvalidGeometry',
  'importWrongGeometry',
  'importBadValue',
  'importMissingField',
  'importNoGeometry',
  'importZipBomb',
  'importUnsupportedFormat',
  'unknownImportSource',
  'unknownMapping',
  'staleSyncPlan',
  'unknownJob',
  'exportFailed',
  'sourceOffline',
  'sourceTimeout',
  'sourceHttpError',
  'sourceNotXml',
  'sourceNotJson',
  'sourceServiceException',
  'sourceBadResponse',
  'sourceLayerNotFound',
  'sourceCrsMismatch',
  'gmlInvalid',
  'gmlBadGeometry',
  'pxwebCodesChanged',
  'analysisNoPopulation',
  'analysisBadOption',
  'forecastBadTable',
  'forecastNoBase',
  'forecastCancelled',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorParams = Record<string, string | number>;

/** An error a user can act on: `code` selects the message, `params` fill it in. */
export class VerkostoError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;

  constructor(code: ErrorCode, params: ErrorParams = {}, detail?: string) {
    super(detail ?? `${code} ${JSON.stringify(params)}`);
    this.name = 'VerkostoError';
    this.code = code;
    this.params = params;
  }
}

/** The plain-data shape of an error on the wire. */
export interface ErrorPayload {
  code: ErrorCode;
  params: ErrorParams;
  message: string;
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof VerkostoError) {
    return { code: error.code, params: error.params, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', params: { detail: message }, message };
}

export function fromErrorPayload(payload: ErrorPayload): VerkostoError {
  const code = (ERROR_CODES as readonly string[]).includes(payload.code) ? payload.code : 'internal';
  return new VerkostoError(code, payload.params ?? {}, payload.message);
}
