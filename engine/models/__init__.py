"""Model presets, the local model cache, verification and the download child process."""
