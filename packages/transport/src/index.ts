export { createRequester } from "./requester.js";
export type { Requester, RequesterOptions } from "./requester.js";
export { startReplier } from "./replier.js";
export type { Replier, ReplierOptions } from "./replier.js";
export { createEventPublisher, subscribeEvents, startEventBus } from "./events.js";
export type { EventPublisher, EventSubscription, EventBus } from "./events.js";
export { bindAddress } from "./endpoint.js";
export { EVENT_HWM, HARD_FRAME_LIMIT } from "./options.js";
