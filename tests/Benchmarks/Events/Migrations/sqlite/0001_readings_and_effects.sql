-- The writer's own change (a meter reading), committed with its outbox event.
CREATE TABLE bench_readings (
    run         INTEGER NOT NULL,
    sequence    INTEGER NOT NULL,
    recorded_at TEXT    NOT NULL,
    PRIMARY KEY (run, sequence)
);

-- The consumer's effect, committed with its inbox record.
CREATE TABLE bench_effects (
    run        INTEGER NOT NULL,
    sequence   INTEGER NOT NULL,
    applied_at TEXT    NOT NULL,
    PRIMARY KEY (run, sequence)
);
