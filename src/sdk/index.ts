// The SDK's Node entry: the client, with an optional offline queue in a file (node.ts). A browser
// player imports browser.ts (or the bundle) instead.

export * from './client.js';
export * from './wire.js';
export { memoryQueue, localStorageQueue, type QueueStore } from './queue.js';
export { fileQueue } from './node.js';
