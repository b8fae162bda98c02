-- A bulk import writes its artisans' name trigrams through the GIN index's
-- pending list (fast update) with a limit far above the 4 MB default, set
-- for the import's own transactions (sqlstore.Imports.CopyArtisans): each
-- time the list fills, its entries are merged into the index sorted by
-- trigram, one descent per trigram instead of one per row and trigram.
-- A name search reads every pending entry, so the import merges what its
-- last batches left once it is done. gin_clean_pending_list is the index
-- owner's (as VACUUM is), and the service runs as a runtime role that owns
-- nothing (store.GrantRuntime): this function runs it as the owner, for
-- this one index only (named with its schema, as the function's own search
-- path is pinned, as a SECURITY DEFINER function's must be).
DO $$
BEGIN
    EXECUTE format('CREATE FUNCTION registry_merge_artisan_name_grams() RETURNS BIGINT
        LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L',
        format('SELECT gin_clean_pending_list(%L::regclass)', quote_ident(current_schema()) || '.artisans_name_grams'));
END
$$;
