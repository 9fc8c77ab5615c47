/** The parts of Ollama's API that Sparky sends and reads (https://github.com/ollama/ollama/blob/main/docs/api.md). */

export interface OllamaMessage {
  role: string;
  content: string;
}

/** Model options (`temperature`, `seed`, `num_ctx`, `num_predict`, ...). */
export type OllamaOptions = Record<string, unknown>;

export interface ChatRequest {
  model: string;
  messages: OllamaMessage[];
  /** "json", or a JSON Schema the answer must follow. */
  format?: string | Record<string, unknown>;
  stream?: false;
  options?: OllamaOptions;
}

export interface GenerateRequest {
  model: string;
  system?: string;
  prompt: string;
  format?: string | Record<string, unknown>;
  stream?: false;
  options?: OllamaOptions;
}

/** What a finished answer counts. Optional: an answer is read as sent, not validated. */
interface AnswerCounts {
  model?: string;
  created_at?: string;
  done?: boolean;
  /** `stop`, or `length` when `num_predict` cut the answer off. */
  done_reason?: string;
  total_duration?: number;
  prompt_eval_count?: number;
  eval_count?: number;
}

export interface ChatResponse extends AnswerCounts {
  message?: OllamaMessage;
}

export interface GenerateResponse extends AnswerCounts {
  response?: string;
}

export interface ModelEntry {
  name: string;
  model: string;
  modified_at?: string;
  size?: number;
  digest?: string;
}

export interface ListResponse {
  models: ModelEntry[];
}

export interface ShowResponse {
  /** Keys prefixed by the architecture: `qwen2.context_length`, ... */
  model_info?: Record<string, unknown>;
  details?: Record<string, unknown>;
}

export interface VersionResponse {
  version: string;
}

export interface PullRequest {
  model: string;
  stream: true;
}

/** One line of a pull's progress: `pulling manifest`, `pulling <digest>` with bytes, ..., `success`. */
export interface ProgressResponse {
  status: string;
  digest?: string;
  total?: number;
  completed?: number;
}
