import { SparkyError, StageResultSchemas, createMessage, fromErrorInfo } from "@sparky/messages";
import type { Clock, Command, JobState, Stage, StageResults } from "@sparky/messages";
import type { Requester } from "@sparky/transport";
import type { JobWaiter } from "./job-waiter.js";

export interface RunStageOptions {
  requester: Requester;
  waiter: JobWaiter;
  clock: Clock;
  pollIntervalMs: number;
  stageTimeoutMs: number;
  onAccepted?: (jobId: string) => void;
  /** Every `job.status` answer while the job runs. */
  onState?: (state: JobState) => void;
}

/** One attempt at one stage: send the command, get `accepted`, wait for the outcome. */
export async function runStage<S extends Stage>(stage: S, command: Command, options: RunStageOptions): Promise<StageResults[S]> {
  const { requester, clock } = options;
  const reply = await requester.request(command);
  let jobId: string;
  switch (reply.type) {
    case "accepted":
      jobId = reply.payload.jobId;
      break;
    case "rejected":
      throw fromErrorInfo(reply.payload);
    case "error":
      throw new SparkyError(reply.payload.code, `${stage} refused the command: ${reply.payload.message}`);
    default:
      throw new SparkyError("SPARKY_PROTOCOL", `${stage} answered ${command.type} with ${reply.type}`);
  }
  options.onAccepted?.(jobId);
  const result = await options.waiter.wait(jobId, {
    stage,
    pollIntervalMs: options.pollIntervalMs,
    deadline: Date.now() + options.stageTimeoutMs,
    ...(options.onState ? { onState: options.onState } : {}),
    poll: async (): Promise<JobState> => {
      const answer = await requester.request(
        createMessage<Command>("job.status", { jobId }, { runId: command.runId, clock }),
      );
      if (answer.type !== "job.state") {
        throw new SparkyError("SPARKY_PROTOCOL", `${stage} answered job.status with ${answer.type}`, { transient: true });
      }
      return answer.payload;
    },
  });
  const parsed = StageResultSchemas[stage].safeParse(result);
  if (!parsed.success) {
    throw new SparkyError("SPARKY_PROTOCOL", `${stage} reported a result that does not match its schema: ${parsed.error.issues[0]?.message}`);
  }
  return parsed.data as StageResults[S];
}
