-- Each server keeps the rows most requests read (a collection by path, its dead
-- properties, mounts of shared collections, WebDAV locks) in memory.
-- A write to the tables they come from tells the other processes sharing this
-- database: NOTIFY is delivered at commit and dropped on rollback. The payload
-- names the writer (its connections' application_name), so it can ignore its own.
CREATE FUNCTION agora_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('agora_changes', current_setting('application_name'));
    RETURN NULL;
END
$$;

CREATE TRIGGER collections_changed AFTER INSERT OR UPDATE OR DELETE ON collections
    FOR EACH STATEMENT EXECUTE FUNCTION agora_notify_change();
CREATE TRIGGER collection_properties_changed AFTER INSERT OR UPDATE OR DELETE ON collection_properties
    FOR EACH STATEMENT EXECUTE FUNCTION agora_notify_change();
CREATE TRIGGER shares_changed AFTER INSERT OR UPDATE OR DELETE ON shares
    FOR EACH STATEMENT EXECUTE FUNCTION agora_notify_change();
CREATE TRIGGER principals_changed AFTER INSERT OR UPDATE OR DELETE ON principals
    FOR EACH STATEMENT EXECUTE FUNCTION agora_notify_change();
CREATE TRIGGER locks_changed AFTER INSERT OR UPDATE OR DELETE ON locks
    FOR EACH STATEMENT EXECUTE FUNCTION agora_notify_change();
