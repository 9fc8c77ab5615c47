export { startFakeGithub } from "./fake-github.js";
export type { FakeGithub, FakeGithubOptions, FakeFault, FakeRequest, FakeTokenOptions } from "./fake-github.js";
export { generateOrg } from "./generate-org.js";
export type { GenerateOrgOptions } from "./generate-org.js";
export { expectedFigures, fakeOid, noreplyEmail, seededRandom, syntheticFirstHumanReview, syntheticReadyAt } from "./synthetic-org.js";
export type {
  SyntheticCommit,
  SyntheticIssue,
  SyntheticOrg,
  SyntheticPull,
  SyntheticRelease,
  SyntheticRepository,
  SyntheticReview,
  SyntheticSignature,
  SyntheticUser,
} from "./synthetic-org.js";
export { crawlRest } from "./crawl-rest.js";
