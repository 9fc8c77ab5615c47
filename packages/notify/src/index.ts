export { createNotifier } from "./create-notifier.js";
export type { Notifier, NotifierOptions } from "./create-notifier.js";
export type { Notification } from "./notification.js";
export { buildNotification, digestHead } from "./notification.js";
export { slackBody, figuresLine } from "./format-slack.js";
export { signature, verifySignature } from "./sign.js";
export { DeliveryRecordSchema } from "./delivery-records.js";
export type { DeliveryRecord } from "./delivery-records.js";
