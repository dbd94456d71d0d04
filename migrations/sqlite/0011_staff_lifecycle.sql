-- Staff lifecycle: a disabled account cannot sign in, and disabling it deletes its sessions.
ALTER TABLE staff ADD COLUMN disabled_at BIGINT;
