"""Benchmark: `jwst-builds scan` next to a loop of astropy's `fits.getheader`.

Writes synthetic JWST products with astropy (a primary header of the usual size and
keywords, and a small SCI extension), with CAL_VER and CRDS_CTX taken from the real
releases and a realistic mix of instruments, modes and detectors. Then it runs, each as
a whole process and several times:

- the floor: a Python process that walks the same folder and calls
  ``astropy.io.fits.getheader`` on every product, and does nothing else;
- ``jwst-builds scan FOLDER`` (table to /dev/null), which loads the data, reads the
  same headers and answers every product.

It does this for products grouped by program (as downloads from MAST come: a program's
products share their release, context and modes) and for products that all differ (the
worst case for scan, which answers each distinct question once). It prints the medians
of wall-clock and CPU time (user + system) side by side and the targets of issue 10:
scan within 2x the floor, and within 3 s for 1,000 products. Not a test: numbers vary
by machine.

    python scripts/bench_scan.py [--products 1000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: (INSTRUME, EXP_TYPE, DETECTOR, READPATT, SUBARRAY): modes as they appear in MAST products
MODES = [
    ("NIRCAM", "NRC_IMAGE", "NRCA1", "MEDIUM8", "FULL"),
    ("NIRCAM", "NRC_IMAGE", "NRCBLONG", "DEEP8", "FULL"),
    ("NIRCAM", "NRC_WFSS", "NRCALONG", "SHALLOW4", "FULL"),
    ("NIRCAM", "NRC_TSGRISM", "NRCALONG", "RAPID", "SUBGRISM64"),
    ("NIRSPEC", "NRS_MSASPEC", "NRS1", "NRSIRS2", "FULL"),
    ("NIRSPEC", "NRS_IFU", "NRS2", "NRSIRS2RAPID", "FULL"),
    ("NIRSPEC", "NRS_FIXEDSLIT", "NRS1", "NRSRAPID", "SUBS200A1"),
    ("NIRSPEC", "NRS_BRIGHTOBJ", "NRS1", "NRSRAPID", "SUB2048"),
    ("NIRISS", "NIS_SOSS", "NIS", "NISRAPID", "SUBSTRIP256"),
    ("NIRISS", "NIS_WFSS", "NIS", "NIS", "FULL"),
    ("NIRISS", "NIS_AMI", "NIS", "NISRAPID", "SUB80"),
    ("MIRI", "MIR_IMAGE", "MIRIMAGE", "FASTR1", "FULL"),
    ("MIRI", "MIR_MRS", "MIRIFUSHORT", "FASTR1", "FULL"),
    ("MIRI", "MIR_LRS-SLITLESS", "MIRIMAGE", "FASTR1", "SLITLESSPRISM"),
    ("FGS", "FGS_IMAGE", "GUIDER1", "FGSRAPID", "FULL"),
]

#: the usual keywords of a calibrated product's primary header besides the ones scan reads
_BASIC = [
    "DATE", "ORIGIN", "TIMESYS", "TIMEUNIT", "FILENAME", "SDP_VER", "PRD_VER", "OSS_VER",
    "CAL_VCS", "DATAMODL", "TELESCOP", "HGA_MOVE", "PWFSEET", "NWFSEST", "TITLE", "PI_NAME",
    "CATEGORY", "SUBCAT", "SCICAT", "CONT_ID", "DATE-OBS", "TIME-OBS", "DATE-BEG", "DATE-MID",
    "DATE-END", "OBS_ID", "VISIT_ID", "PROGRAM", "OBSERVTN", "VISIT", "VISITGRP", "SEQ_ID",
    "ACT_ID", "EXPOSURE", "BKGDTARG", "TSOVISIT", "TARGPROP", "TARGNAME", "TARGTYPE", "TARG_RA",
    "TARG_DEC", "TARGURA", "TARGUDEC", "MU_RA", "MU_DEC", "MU_EPOCH", "PROP_RA", "PROP_DEC",
    "SRCTYAPT", "FILTER", "PUPIL", "GRATING", "FXD_SLIT", "LAMP", "CHANNEL", "BAND", "PILIN",
    "EFFEXPTM", "DURATION", "NINTS", "NGROUPS", "NFRAMES", "GROUPGAP", "TSAMPLE", "TFRAME",
    "TGROUP", "EFFINTTM", "NRSTSTRT", "NRESETS", "ZEROFRAM", "DATAPROB", "SUBSTRT1", "SUBSTRT2",
    "SUBSIZE1", "SUBSIZE2", "FASTAXIS", "SLOWAXIS", "PATTTYPE", "PATT_NUM", "NUMDTHPT",
    "XOFFSET", "YOFFSET", "CRDS_VER",
]  # fmt: skip
_STEPS = [
    "GRPSCL", "DQINIT", "SATURAT", "IPC", "SUPERBIA", "REFPIX", "LINEARIT", "PERSIST", "DARK",
    "JUMP", "RAMPFIT", "GANSCALE", "ASSIGNWCS", "BKDSUB", "FLATFIELD", "PHOTOM", "RESAMPLE",
    "OUTLIER", "SRCCAT", "TWEAKREG", "SKYMATCH", "PATHLOSS", "BARSHAD", "EXTR1D", "EXTR2D",
    "MSAFLAG", "IMPRINT", "WAVECORR", "STRAYLIG", "FRINGE", "RESIDFR", "CUBEBLD", "MRSIMATC",
    "CHGMIGR", "CLEANFLK",
]  # fmt: skip
_REFTYPES = [
    "AREA", "CAMERA", "COLLIMAT", "DARK", "DISPERSE", "DISTORTI", "DRIZPARS", "FILTEROF", "FLAT",
    "FORE", "FPA", "GAIN", "IFUFORE", "IFUPOST", "IFUSLICE", "IPC", "LINEARIT", "MASK", "MSA",
    "OTE", "PERSAT", "PHOTOM", "READNOIS", "REGIONS", "SATURAT", "SPECWCS", "SUPERBIA", "TRAPDEN",
    "TRAPPAR", "WAVELENG", "WAVERANG", "WFSSBKG",
]  # fmt: skip


def releases() -> list[tuple[str, str]]:
    """(jwst version, context) of every release of a flight build that has a context."""
    sys.path.insert(0, str(REPO / "src"))
    from jwst_builds import dataset

    ds = dataset.load(REPO)
    out = []
    for build, rel in ds.releases():
        context = rel["crds_context"] or build.data["crds_context"]
        if context and not build.data["pre_launch"]:
            out.append((rel["jwst_version"], context))
    return out


def write_products(folder: Path, n: int, distinct: bool = False) -> None:
    """n products in 20 program folders, like a download from MAST.

    A program uses one instrument and a few of its modes, and MAST processes all of it
    with the same release and context (one or two processings). With ``distinct``, every
    product draws its own release and mode instead: the worst case, with hardly two
    products asking the same question.
    """
    import numpy as np
    from astropy.io import fits

    rng = random.Random(10)
    pairs = releases()
    programs = []
    for _ in range(20):
        instrument = rng.choice(sorted({m[0] for m in MODES}))
        modes = [m for m in MODES if m[0] == instrument]
        programs.append((rng.sample(modes, min(2, len(modes))), rng.sample(pairs, 2)))
    sci = np.zeros((16, 16), dtype=np.float32)
    for i in range(n):
        modes, processings = programs[i % len(programs)]
        if distinct:
            modes, processings = MODES, pairs
        version, context = rng.choice(processings)
        instrume, exp_type, detector, readpatt, subarray = rng.choice(modes)
        header = fits.Header()
        header["SIMPLE"] = True
        header["BITPIX"] = 8
        header["NAXIS"] = 0
        header["EXTEND"] = True
        for key in _BASIC:
            header[key] = rng.choice(["value", "another value", 12, 3.25, True])
        for key, value in (
            ("CAL_VER", version),
            ("CRDS_CTX", context),
            ("INSTRUME", instrume),
            ("EXP_TYPE", exp_type),
            ("DETECTOR", detector),
            ("READPATT", readpatt),
            ("SUBARRAY", subarray),
        ):
            header[key] = value
        for step in _STEPS:  # step status and reference file keywords are 8 characters
            header[f"S_{step[:6]}"] = rng.choice(["COMPLETE", "SKIPPED"])
        for ref in _REFTYPES:
            header[f"R_{ref[:6]}"] = f"crds://jwst_{instrume.lower()}_{ref.lower()}_0042.fits"
        program = folder / f"jw{1000 + i % 20:05d}"
        program.mkdir(exist_ok=True)
        name = f"jw{1000 + i % 20:05d}{i:03d}001_02101_00001_{detector.lower()}_cal.fits"
        fits.HDUList([fits.PrimaryHDU(header=header), fits.ImageHDU(sci, name="SCI")]).writeto(
            program / name
        )


FLOOR = """
import os, sys
from astropy.io import fits
for here, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".fits"):
            fits.getheader(os.path.join(here, name))
"""


def measure(cmd: list[str], repeat: int) -> tuple[float, float]:
    """Medians of wall-clock and CPU seconds of a whole process, output discarded; one
    untimed run first, so that every timed run finds the files in the page cache."""
    walls, cpus = [], []
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            sys.exit(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ours = shutil.which("jwst-builds")
    if not ours:
        sys.exit("needs jwst-builds on PATH with astropy (nox -s bench installs both)")
    n = args.products
    print(
        f"{n:,} synthetic products, whole process, medians of {args.repeat} runs ({os.cpu_count()} CPUs)"
    )
    print(
        f"| {'products':<13} | {'run':<38} | {'wall':>8} | {'CPU':>8} | {'wall / floor':>12} | {'CPU / floor':>11} |"
    )
    print(f"|{'-' * 15}|{'-' * 40}|{'-' * 9}:|{'-' * 9}:|{'-' * 13}:|{'-' * 12}:|")
    verdicts = []
    for label, distinct in (("by program", False), ("all different", True)):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "products"
            folder.mkdir()
            write_products(folder, n, distinct)
            os.sync()  # written files reach the disk before anything is timed
            floor = measure([sys.executable, "-c", FLOOR, str(folder)], args.repeat)
            runs = [("astropy fits.getheader loop (floor)", floor)]
            for fmt in ("table", "json"):
                cmd = [ours, "--root", str(REPO), "scan", str(folder), "--format", fmt]
                runs.append((f"jwst-builds scan --format {fmt}", measure(cmd, args.repeat)))
        for run, (wall, cpu) in runs:
            print(
                f"| {label:<13} | {run:<38} | {wall:>6.2f} s | {cpu:>6.2f} s | "
                f"{wall / floor[0]:>11.2f}x | {cpu / floor[1]:>10.2f}x |"
            )
        worst = max(wall for _, (wall, _) in runs[1:])
        verdicts.append(
            f"{label}: scan {worst / floor[0]:.2f}x the floor "
            f"({'met' if worst <= 2 * floor[0] else 'MISSED'}), "
            f"{worst * 1000 / n:.2f} s per 1,000 products "
            f"({'met' if worst * 1000 / n <= 3 else 'MISSED'})"
        )
    print("targets: within 2x the floor and within 3 s per 1,000 products")
    print("\n".join(verdicts))


if __name__ == "__main__":
    main()
