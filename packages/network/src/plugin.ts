// Plugins belong to @deltaflow/core (which plugin packages depend on alone); they are re-exported here so that
// `import { installPlugin, definePlugin } from '@deltaflow/network'` keeps working.
export { definePlugin, installPlugin } from '@deltaflow/core';
export type { InstallPluginOptions, Plugin } from '@deltaflow/core';
