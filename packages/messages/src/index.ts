export { SparkyError, toErrorInfo, fromErrorInfo } from "./errors.js";
export type { ErrorInfo } from "./errors.js";
export {
  PERIODS,
  periodFor,
  previousPeriod,
  periodFromRunId,
  daysOf,
  localDay,
  parseDate,
  assertTimezone,
  isoWeek,
  addDays,
  yesterday,
} from "./period.js";
export type { Period, PeriodSpec, Window } from "./period.js";
export {
  PROTOCOL_VERSION,
  CommandSchema,
  ReplySchema,
  EventSchema,
  CollectPayload,
  StagePayload,
  JOB_STATES,
} from "./protocol.js";
export type {
  Command,
  CommandType,
  CommandOf,
  Reply,
  ReplyType,
  Event,
  EventType,
  EventOf,
  JobState,
  Message,
} from "./protocol.js";
export { MAX_FRAME_BYTES, MessageError, createMessage, encode, decode, typesOf, systemClock } from "./codec.js";
export type { Clock } from "./codec.js";
export { OUTPUT_FILES, dataLayout, digestRelativePath } from "./layout.js";
export { QuietDaySchema, QuietDaysSchema } from "./models/quiet-days.js";
export type { QuietDay, QuietDays } from "./models/quiet-days.js";
export { DigestIndexSchema, DigestIndexEntrySchema, IndexShareSchema } from "./models/digest-index.js";
export type { DigestIndex, DigestIndexEntry, IndexShare } from "./models/digest-index.js";
export type { DataLayout } from "./layout.js";
export { RunRefSchema, WindowSchema, PeriodSchema, ErrorInfoSchema } from "./models/common.js";
export type { RunRef } from "./models/common.js";
export { RawCommitSchema, RawTagSchema, RawRepositorySchema, RawManifestSchema, WindowSummarySchema, CollectionStatsSchema } from "./models/raw.js";
export type { RawCommit, RawTag, RawRepository, RawManifest, WindowSummary, CollectionStats } from "./models/raw.js";
export {
  GithubActorSchema,
  GithubCommitSchema,
  GithubPullRequestSchema,
  GithubReviewSchema,
  GithubIssueSchema,
  GithubReleaseSchema,
  GithubPreviousSchema,
  GithubRepositorySchema,
  AnyRawRepositorySchema,
  githubIdentityKey,
} from "./models/github.js";
export type {
  AnyRawRepository,
  GithubActor,
  GithubCommit,
  GithubPullRequest,
  GithubReview,
  GithubIssue,
  GithubRelease,
  GithubRepository,
} from "./models/github.js";
export {
  AnalysisSchema,
  ITEM_KINDS,
  ItemKindSchema,
  ItemSchema,
  ThemeSchema,
  ThemesSchema,
  GithubAnalysisSchema,
  DurationFiguresSchema,
  MergerStatsSchema,
  UncollectedRepositorySchema,
  THEME_KINDS,
  ReleaseSchema,
  TrendPointSchema,
  IdentitySuggestionSchema,
} from "./models/processed.js";
export type {
  Analysis,
  Change,
  CommitItem,
  PullRequestItem,
  IssueItem,
  Item,
  ContributorStats,
  ItemKind,
  RepositoryStats,
  Theme,
  Themes,
  Totals,
  GithubAnalysis,
  GithubRepositoryFigures,
  DurationFigures,
  ReviewerStats,
  ReleaseEntry,
  MergerStats,
  UncollectedRepository,
  Release,
  TrendPoint,
  IdentitySuggestion,
} from "./models/processed.js";
export { forgeOf, forgeLinks } from "./forge.js";
export { byText } from "./order.js";
export { parseTagVersion, compareVersions } from "./semver.js";
export type { TagVersion } from "./semver.js";
export type { Forge, ForgeLinks } from "./forge.js";
export { StageResultSchemas, LlmUsageSchema } from "./models/results.js";
export type { CollectResult, AnalyzeResult, GenerateResult, PublishResult, StageResults, LlmUsage } from "./models/results.js";
export { STAGES, RUN_STATES, RUN_TRIGGERS, RunRecordSchema, StatusSchema, StageSchema } from "./models/run.js";
export type { Stage, RunState, RunTrigger, RunRecord, StageRecord, Status } from "./models/run.js";
export { identityKey, isBotAuthor } from "./identity.js";
export { countOf } from "./count-of.js";
export {
  PERIOD_KEY_PATTERN,
  RUN_ID_PATTERN,
  GITHUB_LOGIN_PATTERN,
  NAME_SEGMENT_PATTERN,
  MAX_REPO_PATH,
  RunIdSchema,
  PeriodKeySchema,
  GithubLoginSchema,
  NameSegmentSchema,
  RepoPathSchema,
  RelativeFileSchema,
  runIdMatchesKey,
} from "./path-fields.js";
