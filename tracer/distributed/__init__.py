"""tracer beyond one machine, on Ray (the optional extra: pip install 'tracer[ray]').

    cluster.py     connect to a Ray cluster (or start one on this machine)
    ray_build.py   `tracer build --ray`: embed pending texts with Ray Data
    ray_shards.py  a sharded index version served by Ray actors, one per shard

Nothing here is imported unless asked for: tracer never needs Ray otherwise.
"""
