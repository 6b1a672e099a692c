export { createOsprey, type Osprey, type OspreyOverrides } from './create-osprey.js';
export { createServingHost, type ServingHostOptions } from './serving-host.js';
