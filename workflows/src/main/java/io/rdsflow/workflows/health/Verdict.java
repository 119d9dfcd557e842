package io.rdsflow.workflows.health;

/** How a watch ended: the master is dead (with the evidence), or the watch is to be renewed. */
public record Verdict(boolean masterDead, String detail) {}
