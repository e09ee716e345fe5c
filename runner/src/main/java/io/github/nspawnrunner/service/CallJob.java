package io.github.nspawnrunner.service;

/** The job a call is for, as the service's journal lines name it (fields JOB_ID and MACHINE). */
public record CallJob(long jobId, String machine, String describe) {
}
