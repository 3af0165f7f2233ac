"""A file as a set of batches: plan (VAD), batches (ASR + embeddings), assembly; checkpoints."""
