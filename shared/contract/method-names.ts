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
] as const;

export type HostMethodName = (typeof HOST_METHOD_NAMES)[number];

export const HOST_EVENT_NAMES = ['projectOpened', 'projectClosed', 'projectChanged'] as const;
