import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { followUpQuery, priorAuthorsQuery, repositoriesQuery } from "../repository-query.js";
import { generateOrg } from "./generate-org.js";
import { startFakeGithub } from "./fake-github.js";
import type { FakeGithub } from "./fake-github.js";

const TOKEN = "fake-token";
let fake: FakeGithub;
beforeAll(async () => {
  fake = await startFakeGithub({ org: generateOrg({ login: "acme", repositories: 150, active: 3, day: "2026-11-26" }), tokens: { [TOKEN]: {} } });
});
afterAll(() => fake.close());

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const response = await fetch(`${fake.url}/graphql`, { method: "POST", headers: { authorization: `bearer ${TOKEN}` }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: { message: string; type?: string }[] };
};
const rest = (path: string, headers: Record<string, string> = {}) => fetch(`${fake.url}${path}`, { headers: { authorization: `token ${TOKEN}`, ...headers } });

describe("fake GitHub GraphQL: GitHub's schema and rules", () => {
  it("rejects what GitHub's schema rejects", async () => {
    const unknown = await gql('{ repository(owner: "acme", name: "service-001") { nope } }');
    expect(unknown.errors?.[0]?.message).toMatch(/Cannot query field "nope" on type "Repository"/);
    const wrongType = await gql('{ repository(owner: "acme", name: 7) { name } }');
    expect(wrongType.errors?.[0]?.message).toMatch(/String cannot represent a non string value/);
    const unused = await gql("query($x: String!) { rateLimit { cost } }", { x: "y" });
    expect(unused.errors?.[0]?.message).toMatch(/Variable "\$x" is never used/);
  });

  it("insists on first/last, at most 100, like GitHub", async () => {
    const missing = await gql('{ repository(owner: "acme", name: "service-001") { issues { totalCount } } }');
    expect(missing.errors?.[0]).toMatchObject({ type: "MISSING_PAGINATION_BOUNDARIES" });
    const tooMany = await gql('{ repository(owner: "acme", name: "service-001") { issues(first: 101) { totalCount } } }');
    expect(tooMany.errors?.[0]).toMatchObject({ type: "EXCESSIVE_PAGINATION" });
  });

  it("answers NOT_FOUND for one alias and data for the others", async () => {
    const answer = await gql('{ a: repository(owner: "acme", name: "service-001") { name } b: repository(owner: "acme", name: "gone") { name } }');
    expect(answer.data).toEqual({ a: { name: "service-001" }, b: null });
    expect(answer.errors).toEqual([expect.objectContaining({ type: "NOT_FOUND", path: ["b"] })]);
  });

  it("accepts every query the collector sends", async () => {
    const refs = [{ owner: "acme", name: "service-001" }];
    const range = { since: "2026-11-25T00:00:00.000Z", until: "2026-11-27T00:00:00.000Z" };
    const head = (fake.org.repositories[0]!.commits[0]!).oid;
    const cursor = Buffer.from("cursor:v2:0").toString("base64");
    for (const built of [
      repositoriesQuery(refs, range),
      followUpQuery(refs, [
        { kind: "history", repo: 0, head, after: cursor },
        { kind: "pulls", repo: 0, after: cursor },
        { kind: "issues", repo: 0, after: cursor },
        { kind: "releases", repo: 0, after: cursor },
        { kind: "reviews", repo: 0, pullRequest: 1, after: cursor },
      ], range),
      priorAuthorsQuery([{ repo: refs[0]!, head, author: { emails: ["a@b.c"] } }, { repo: refs[0]!, head, author: { id: "VV8xMDAw" } }], range.since),
    ]) {
      const answer = await gql(built.query, built.variables);
      expect(answer.errors, built.query).toBeUndefined();
    }
  });
});

describe("fake GitHub REST", () => {
  it("pages with Link headers and answers an unchanged page 304 without charging quota", async () => {
    const first = await rest("/orgs/acme/repos?per_page=100&sort=pushed&direction=desc");
    expect(first.status).toBe(200);
    expect(first.headers.get("link")).toMatch(/page=2>; rel="next"/);
    expect(((await first.json()) as unknown[]).length).toBe(100);
    const etag = first.headers.get("etag")!;
    const left = fake.quota(TOKEN, "core");
    const again = await rest("/orgs/acme/repos?per_page=100&sort=pushed&direction=desc", { "if-none-match": etag });
    expect(again.status).toBe(304);
    expect(fake.quota(TOKEN, "core")).toBe(left);
    expect(again.headers.get("x-ratelimit-remaining")).toBe(String(left));
    const last = await rest("/orgs/acme/repos?per_page=100&page=2");
    expect(((await last.json()) as unknown[]).length).toBe(50);
    expect(last.headers.get("link")).toMatch(/rel="prev"/);
  });

  it("refuses requests without a valid token", async () => {
    const none = await fetch(`${fake.url}/orgs/acme/repos`);
    expect(none.status).toBe(401);
    const bad = await fetch(`${fake.url}/orgs/acme/repos`, { headers: { authorization: "token wrong" } });
    expect(await bad.json()).toMatchObject({ message: "Bad credentials" });
  });
});
