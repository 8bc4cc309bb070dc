-- The users table every implementation of the Databases page's service uses.
-- The database assigns the ids and holds the rules that must never race: one
-- user per email, a name of 1 to 50 characters, an email the index can hold.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 50),
    email text NOT NULL UNIQUE CHECK (char_length(email) <= 254)
);
