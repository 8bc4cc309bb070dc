-- The users table every implementation of the Databases page's service uses.
-- The database assigns the ids and holds the two rules that must never race:
-- one user per email, and a name of 1 to 50 characters.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    email text NOT NULL UNIQUE
);
