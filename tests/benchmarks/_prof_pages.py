import cProfile, pstats, os, sys, time
from pathlib import Path
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["DESK_SETTINGS"] = "/tmp/pp.ini"
from desk.core import db as dbmod
from desk.ui.app import application
from desk.ui.main_window import MainWindow
app = application(); path=Path('/tmp/desk-bench-100000.sqlite'); db = dbmod.open_database(path)
window = MainWindow(db, path); window.show()
settle = time.perf_counter() + 1.5
while time.perf_counter() < settle:
    app.processEvents(); time.sleep(0.01)
for key in sys.argv[1:]:
    pr = cProfile.Profile(); pr.enable()
    t=time.perf_counter(); window.show_page(key); app.processEvents(); d=time.perf_counter()-t
    pr.disable()
    print(key, f"{d*1000:.0f} ms")
    pstats.Stats(pr).sort_stats('cumulative').print_stats(30)
