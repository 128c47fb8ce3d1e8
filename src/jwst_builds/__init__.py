"""jwst-builds: JWST calibration-pipeline builds and known issues as validated data."""
