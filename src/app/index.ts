export { createOsprey, type Osprey, type OspreyOverrides } from './create-osprey.js';
