using System.Globalization;
using System.Text;
using Linli.Web.Infrastructure.Localization;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace Linli.Web.Features.Residents.Import;

/// <summary>
/// The columns of the registry workbook, with the Chinese headers community offices use. The headers are the same in
/// every UI language: they are the offices' own forms.
/// </summary>
public static class ImportColumns
{
    public const string Name = "姓名";
    public const string IdNumber = "身份证号";
    public const string Gender = "性别";
    public const string BirthDate = "出生日期";
    public const string Phone = "手机号";
    public const string Estate = "小区";
    public const string Building = "楼栋";
    public const string Entrance = "单元";
    public const string Home = "门牌号";
    public const string Occupancy = "居住类型";
    public const string Relation = "与户主关系";
    public const string Category = "人员类别";
    public const string EmergencyName = "紧急联系人";
    public const string EmergencyPhone = "紧急联系电话";
    public const string Skills = "技能特长";
    public const string Notes = "备注";

    public static readonly string[] All =
        [Name, IdNumber, Gender, BirthDate, Phone, Estate, Building, Entrance, Home, Occupancy, Relation, Category, EmergencyName, EmergencyPhone, Skills, Notes];

    public static readonly string[] Required = [Name, IdNumber];

    /// <summary>Other headers offices write for the same column.</summary>
    public static readonly IReadOnlyDictionary<string, string> Synonyms = new Dictionary<string, string>
    {
        ["身份证号码"] = IdNumber, ["公民身份号码"] = IdNumber, ["证件号码"] = IdNumber,
        ["手机"] = Phone, ["联系电话"] = Phone, ["手机号码"] = Phone, ["电话"] = Phone,
        ["小区名称"] = Estate, ["楼号"] = Building, ["楼栋号"] = Building, ["单元号"] = Entrance, ["房号"] = Home, ["户号"] = Home,
        ["房屋性质"] = Occupancy, ["居住性质"] = Occupancy, ["关系"] = Relation, ["标签"] = Category, ["特殊人群"] = Category,
        ["紧急联系人电话"] = EmergencyPhone, ["技能"] = Skills, ["特长"] = Skills, ["出生年月"] = BirthDate,
    };
}

/// <summary>What is wrong with one row (or, with row 0, with the whole file).</summary>
public sealed record ImportProblem(int Row, string Column, string Reason);

/// <summary>
/// Reads the first sheet of an xlsx file row by row (streamed: memory stays flat for 100,000 rows). The first
/// non-empty row is the header; the rows after it come back as header → text, with their row number in Excel.
/// </summary>
public static class ImportSheet
{
    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>What the bytes say the file is: only a real xlsx (a zip package) is read.</summary>
    public enum Kind { Xlsx, Encrypted, LegacyXls, Other }

    public static Kind Sniff(string path)
    {
        using var f = File.OpenRead(path);
        Span<byte> head = stackalloc byte[8];
        var n = f.ReadAtLeast(head, 8, throwOnEndOfStream: false);
        if (n >= 4 && head[0] == 0x50 && head[1] == 0x4B && head[2] == 0x03 && head[3] == 0x04) return Kind.Xlsx;
        ReadOnlySpan<byte> ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        if (n == 8 && head.SequenceEqual(ole))
        {
            // A password-protected xlsx is an OLE2 compound file holding an "EncryptedPackage" stream; an .xls is not.
            f.Position = 0;
            var marker = System.Text.Encoding.Unicode.GetBytes("EncryptedPackage");
            var buffer = new byte[Math.Min(f.Length, 1 << 20)];
            var read = f.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return buffer.AsSpan(0, read).IndexOf(marker) >= 0 ? Kind.Encrypted : Kind.LegacyXls;
        }
        return Kind.Other;
    }

    /// <summary>The header row: column letter → canonical header. Unknown headers are ignored.</summary>
    public sealed record Header(IReadOnlyDictionary<string, string> Columns, int Row);

    public static IEnumerable<(int Row, IReadOnlyDictionary<string, string?> Cells)> Rows(string path, Action<Header> onHeader)
    {
        Header? header = null;
        var row = 0;
        foreach (IDictionary<string, object?> cells in MiniExcel.Query(path, useHeaderRow: false))
        {
            row++;
            if (cells.Values.All(IsBlank)) continue;
            if (header is null)
            {
                var map = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (letter, value) in cells)
                {
                    var text = Text(value)?.Replace(" ", "").Replace("*", "");
                    if (text is null) continue;
                    var canonical = ImportColumns.All.Contains(text) ? text : ImportColumns.Synonyms.GetValueOrDefault(text);
                    if (canonical is not null && !map.ContainsValue(canonical)) map[letter] = canonical;
                }
                header = new Header(map, row);
                onHeader(header);
                continue;
            }
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (letter, column) in header.Columns)
                values[column] = cells.TryGetValue(letter, out var v) ? Cell(column, v) : null;
            yield return (row, values);
        }
    }

    private static bool IsBlank(object? v) => v is null || (v is string s && string.IsNullOrWhiteSpace(s));

    private static string? Text(object? v) => v switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        _ => Convert.ToString(v, CultureInfo.InvariantCulture)?.Trim(),
    };

    /// <summary>
    /// A cell as the text an office meant: numbers without ".0", dates as yyyy-MM-dd. An ID number typed as a number
    /// has lost its last digits in Excel (15 significant digits); it is marked so the row can say so.
    /// </summary>
    private static string? Cell(string column, object? v) => v switch
    {
        null => null,
        string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d when column == ImportColumns.IdNumber => NumberMarker + d.ToString("R", CultureInfo.InvariantCulture),
        double d when column == ImportColumns.BirthDate && d is > 0 and < 100_000 => DateTime.FromOADate(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double d => d == Math.Floor(d) && Math.Abs(d) < 1e15 ? ((long)d).ToString(CultureInfo.InvariantCulture) : d.ToString(CultureInfo.InvariantCulture),
        _ => Text(v),
    };

    /// <summary>Prefix of a cell that held a number where text was needed (an ID number).</summary>
    public const string NumberMarker = "\u0001";

    /// <summary>The template: the header row, and a second sheet that explains each column.</summary>
    public static async Task WriteTemplateAsync(Stream output, Texts t, CancellationToken ct)
    {
        var header = new Dictionary<string, object?>();
        foreach (var c in ImportColumns.All) header[c] = null;
        var help = ImportColumns.All.Select(c => new Dictionary<string, object?>
        {
            [t.Get("import.help_column")] = c,
            [t.Get("import.help_rule")] = t.Get("import.help." + HelpKey(c)),
        }).ToList();
        var sheets = new Dictionary<string, object>
        {
            [t.Get("import.sheet_residents")] = new[] { header },
            [t.Get("import.sheet_help")] = help,
        };
        await MiniExcel.SaveAsAsync(output, sheets, cancellationToken: ct);
    }

    public static string HelpKey(string column) => Array.IndexOf(ImportColumns.All, column) switch
    {
        var i and >= 0 => "c" + (i + 1).ToString("00", CultureInfo.InvariantCulture),
        _ => "unknown",
    };
}

/// <summary>
/// The rows of a checked workbook as the check read them (row number, column → text), in a plain binary file next to
/// the upload, written and read as a stream. The commit checks them again from here instead of parsing the workbook a
/// second time: parsing is most of the check's cost (at 100,000 rows seconds of CPU, more when a large shared-strings
/// table is looked up on disk); reading this back costs a fraction of it. About 125 bytes a row (12 MB for 100,000).
/// </summary>
public static class ImportSpool
{
    public sealed class Writer(string path) : IDisposable
    {
        private readonly BinaryWriter _out = new(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), Encoding.UTF8);
        private string[]? _columns;

        /// <summary>One row; every row of a file has the same columns (those its header named).</summary>
        public void Add(int row, IReadOnlyDictionary<string, string?> cells)
        {
            if (_columns is null)
            {
                _columns = [.. cells.Keys];
                _out.Write(_columns.Length);
                foreach (var c in _columns) _out.Write(c);
            }
            _out.Write(row);
            foreach (var c in _columns)
            {
                var value = cells.GetValueOrDefault(c);
                _out.Write(value is not null);
                if (value is not null) _out.Write(value);
            }
        }

        public void Dispose() => _out.Dispose();
    }

    public static IEnumerable<(int Row, IReadOnlyDictionary<string, string?> Cells)> Read(string path)
    {
        using var input = new BinaryReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), Encoding.UTF8);
        var length = input.BaseStream.Length;
        if (length == 0) yield break;
        var columns = new string[input.ReadInt32()];
        for (var i = 0; i < columns.Length; i++) columns[i] = input.ReadString();
        while (input.BaseStream.Position < length)
        {
            var row = input.ReadInt32();
            var cells = new Dictionary<string, string?>(columns.Length, StringComparer.Ordinal);
            foreach (var c in columns) cells[c] = input.ReadBoolean() ? input.ReadString() : null;
            yield return (row, cells);
        }
    }
}
