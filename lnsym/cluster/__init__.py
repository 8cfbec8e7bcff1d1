"""Scale-out: campaigns (verify, recheck, conform replay) as Dask distributed tasks (:mod:`.engine`)."""
