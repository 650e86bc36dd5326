CREATE TABLE probe_effects (id bigserial PRIMARY KEY, message_id uuid NOT NULL, aggregate_id text NOT NULL, sequence integer NOT NULL);
CREATE TABLE probe_writes (id uuid PRIMARY KEY, note text NOT NULL);
CREATE TABLE typed_values (id uuid PRIMARY KEY, day date NULL, at timestamptz NULL, kind integer NULL, maybe_id uuid NULL);
