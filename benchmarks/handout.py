"""How much the handout adds to WeasyPrint's own work, for a 12-week, 4-phase program.

    .venv/bin/python benchmarks/handout.py [RUNS]

Times, as the median of RUNS runs (5 by default, taking turns) after one warm-up:

* render:     `PdfBackend().render(plan, options)`: the handout's content from the plan,
              the templates, the font check and WeasyPrint;
* weasyprint: `weasyprint.HTML(string=html).write_pdf(pdf_tags=True)` on the same HTML,
              alone: the same tagged PDF, both as written (a new font configuration each
              time) and with the font configuration the backend keeps for the process;

and prints their ratios (render / weasyprint). The program is checked once, outside the
timing; the times of build_plan, of the HTML alone and of the font check are shown for scale.
"""

from __future__ import annotations

import sys

from timing import interleaved

PROGRAM = """\
program "Twelve weeks back to running"
client "Alex Rivera"
clinician "Sam Okafor, Physiotherapist"
start 2027-01-04
time 07:00
equipment mat, mini_band(yellow, green, blue), bench
caution "Stop and call the clinic if pain spreads into a leg."
note "Keep a steady breath through every exercise."

phase "Settle" 3w:
  session "Mobility" daily:
    pelvic_tilt 2x10 hold 3s rest 30s
    cat_camel 2x8 rest 30s
    knee_to_chest_stretch 2x30s each side
  session "Activation" on mon wed fri:
    clam_shell 3x10 each side rest 45s progress from 8 over 3w
    glute_bridge 3x10 rest 60s
    abdominal_bracing 2x8 hold 5s rest 30s
  session "Walk" on tue thu sat:
    walking 20min progress to 30min over 3w

phase "Strengthen" 3w:
  session "Mobility" daily:
    cat_camel 2x8 rest 30s
    hamstring_stretch 2x30s each side
    hip_flexor_stretch 2x30s each side
  session "Strength" on mon wed fri:
    glute_bridge 3x12 band yellow rest 60s progress to 15 over 3w
    bird_dog 3x8 each side hold 3s rest 45s
    dead_bug 3x8 each side rest 45s
    side_lying_leg_raise 3x10 each side rest 45s
  session "Walk" on tue thu sat:
    walking 30min

phase "Build" 3w:
  session "Stretch" 4x/week:
    hamstring_stretch 2x30s each side
    hip_flexor_stretch 2x30s each side
    piriformis_stretch 2x30s each side
  session "Strength" on mon wed fri:
    hip_thrust 3x8 rest 90s progress to 12 over 3w
    squat 3x10 rest 60s
    plank 3x20s rest 60s progress to 30s over 3w
    monster_walk 3x12 band green rest 60s
  session "Cardio" on tue sat:
    swimming 20min

phase "Return to running" 3w:
  session "Stretch" 4x/week:
    hamstring_stretch 2x30s each side
    hip_flexor_stretch 2x30s each side
  session "Strength" on mon thu:
    hip_thrust 3x12 rest 90s
    lunge 3x8 each side rest 60s
    side_plank 3x20s each side rest 60s
    monster_walk 3x15 band blue rest 60s
  session "Run" on tue sat:
    running 12min progress to 20min over 3w
"""


def main(runs: int = 5) -> None:
    import weasyprint

    from progdsl import loads
    from progdsl.backends import RenderOptions
    from progdsl.backends.fonts import check_fonts
    from progdsl.backends.html import render_html
    from progdsl.backends.pdf import PdfBackend
    from progdsl.backends.printing import font_configuration
    from progdsl.plan import build_plan

    result = loads(PROGRAM, "benchmark.prog")
    assert result.ok, result.diagnostics
    plan = build_plan(result.program)
    options = RenderOptions()
    html = render_html(plan, options)
    backend = PdfBackend()
    backend.render(plan, options)  # warm-up: imports, fonts, compiled templates
    weasyprint.HTML(string=html).write_pdf(pdf_tags=True)

    fonts = font_configuration()
    seconds = interleaved(  # medians; warmed up above
        {
            "build_plan": lambda: build_plan(result.program),
            "html": lambda: render_html(plan, options),
            "font check": lambda: check_fonts(html),
            "render": lambda: backend.render(plan, options),
            "alone": lambda: weasyprint.HTML(string=html).write_pdf(pdf_tags=True),
            "kept": lambda: weasyprint.HTML(string=html).write_pdf(font_config=fonts, pdf_tags=True),
        },
        runs,
        warm_up=False,
    )
    pages = len(weasyprint.HTML(string=html).render().pages)
    print(f"12 weeks, 4 phases, {len(plan.sessions)} dated sessions, {pages} pages; median of {runs} runs")
    render = seconds["render"]
    print(f"  build_plan             {seconds['build_plan']:7.3f} s")
    print(f"  handout HTML only      {seconds['html']:7.3f} s")
    print(f"  font check             {seconds['font check']:7.3f} s")
    print(f"  render (whole PDF)     {render:7.3f} s")
    print(f"  WeasyPrint alone       {seconds['alone']:7.3f} s   ratio {render / seconds['alone']:5.2f}")
    print(f"    same font config     {seconds['kept']:7.3f} s   ratio {render / seconds['kept']:5.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
