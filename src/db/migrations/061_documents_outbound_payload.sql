-- The cXML store statement (src/http/cxml-store.ts) looks for the outbound order a StatusUpdateRequest
-- reports on by its payloadID on every request. As one prepared statement its generic plan cannot see
-- that the payloadID is null for other requests, and without an index it scanned every document each
-- time (1 ms at 1,000 documents, growing with the table). This index makes it one index probe.
create index documents_outbound_cxml_payload on documents ((business_keys->>'payloadId'), id)
  where direction = 'outbound' and format = 'cxml';
