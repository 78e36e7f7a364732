-- The object's CLASS (0 public, 1 confidential, 2 private), so that what a reader
-- without write access may see is decided without parsing (agora_core::resources).
ALTER TABLE objects ADD COLUMN class BIGINT NOT NULL DEFAULT 0;
