-- The writer's own change (a meter reading), committed with its outbox event.
CREATE TABLE bench_readings (
    run         integer     NOT NULL,
    sequence    integer     NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (run, sequence)
);

-- The consumer's effect, committed with its inbox record.
CREATE TABLE bench_effects (
    run        integer     NOT NULL,
    sequence   integer     NOT NULL,
    applied_at timestamptz NOT NULL,
    PRIMARY KEY (run, sequence)
);
