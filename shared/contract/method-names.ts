/**
 * The contract's method and event names, alone in a dependency-free module so the Electron preload can
 * allowlist them without bundling the schemas. host-api.ts checks at compile time that HostApi, the
 * argument schemas and this list name exactly the same methods.
 */
export const HOST_METHOD_NAMES = [
  'getHostInfo',
  'listRecentProjects',
  'listProjectFiles',
  'chooseProjectFile',
  'createProject',
  'openProject',
  'openSampleProject',
  'closeProject',
  'saveProjectAs',
  'getProjectSummary',
  'getLayerFeatures',
  'getFeature',
  'getDataSources',
  'runCommand',
  'undo',
  'redo',
  'getPaintContext',
  'exportUnitAssignments',
  'importUnitAssignments',
  // live workshop sharing
  'listShareAddresses',
  'startSharing',
  'stopSharing',
  'getSharingStatus',
  'publishView',
  'getLiveView',
  'postComment',
  'listComments',
  // scenarios
  'listScenarios',
  'createScenario',
  'renameScenario',
  'duplicateScenario',
  'deleteScenario',
  'setScenarioLocked',
  'switchScenario',
  'getScenarioChanges',
  'promoteScenario',
  'compareScenarios',
  'exportScenarioReport',
  // analysis
  'getAnalysisData',
  'getAnalysisChanges',
  'runForecast',
  'forecastStart',
  'forecastCancel',
  // import, sync, export (schemas and types in shared/import/contract.ts)
  'importBeginUpload',
  'importAppendUpload',
  'importListPresets',
  'importConnectService',
  'importForecastFromService',
  'importInspect',
  'importPreview',
  'importStart',
  'importCancel',
  'importListSources',
  'importListMappings',
  'importPreviewSync',
  'importApplySync',
  'importSourceStatus',
  'exportLayer',
] as const;

export type HostMethodName = (typeof HOST_METHOD_NAMES)[number];

export const HOST_EVENT_NAMES = ['projectOpened', 'projectClosed', 'projectChanged', 'sharingChanged', 'liveViewChanged', 'commentsChanged', 'scenariosChanged', 'importProgress', 'importFinished', 'forecastProgress', 'forecastFinished'] as const;

/**
 * What a workshop participant may call: reading the project and the facilitator's view, and posting a
 * comment when the facilitator allows it. Everything else — every method that changes anything — is
 * refused for participants. New methods are refused unless added here on purpose.
 */
export const PARTICIPANT_METHOD_NAMES = [
  'getHostInfo',
  'getProjectSummary',
  'getLayerFeatures',
  'getFeature',
  'getDataSources',
  'getLiveView',
  'postComment',
  'listComments',
  'listScenarios',
] as const satisfies readonly HostMethodName[];
