namespace Activations.Sample;

/// <summary>
/// One line per run: redrawn in place on a terminal, written once at the end when the output is a file
/// or a pipe (so logs hold one line per run, not hundreds).
/// </summary>
internal sealed class ProgressBar
{
    private const int Width = 30;
    private readonly TextWriter output;
    private readonly string label;
    private readonly int total;
    private readonly bool redraw;
    private int drawnCells = -1;

    public ProgressBar(TextWriter output, string label, int total, bool redraw)
    {
        this.output = output;
        this.label = label;
        this.total = Math.Max(1, total);
        this.redraw = redraw;
    }

    public void Report(int done, float loss)
    {
        int cells = done * Width / total;
        if (!redraw || cells == drawnCells)
        {
            return;
        }

        drawnCells = cells;
        output.Write("\r" + Line(done, loss));
        output.Flush();
    }

    public void Finish(float loss)
    {
        output.WriteLine((redraw ? "\r" : string.Empty) + Line(total, loss));
    }

    private string Line(int done, float loss)
    {
        int cells = done * Width / total;
        return $"  {label,-11} [{new string('#', cells)}{new string('.', Width - cells)}] {done,4}/{total} epochs  loss {loss:0.0000}";
    }
}
