/** The service stage: scheduling, the long-running loop, and its logging. */
export { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.js';
export { runService, type Outbox, type ServiceHandle, type ServiceOptions, type ServiceStats } from './service.js';
export { createLogger, formatStatus, startStatusSummary, type LoggerOptions, type ServiceLogging, type StatusCounts } from './log.js';
export { ScheduleError } from './watchlist.js';
export { cronProblem, timezoneProblem } from './cron-time.js';
export type { RunCheckContext, CheckDone, CheckFn, ReloadReport, SchedulerStats, StopReport } from './types.js';
