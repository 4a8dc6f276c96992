using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Linli.Bench;

/// <summary>
/// Writes the app's own entity objects straight into their tables, bypassing change tracking and SaveChanges, with
/// the table, columns, value converters and store types taken from the app's EF model: so a row is stored exactly
/// as the app would store it. PostgreSQL: one binary COPY per batch and table. SQLite: one prepared INSERT per table,
/// inside the caller's transaction.
/// </summary>
public sealed class BulkWriter(DbContext db, DbConnection connection)
{
    private sealed record Column(string Name, IProperty Property, Func<object, object?> Read, string StoreType, DbParameter? Parameter);

    private sealed class Table(string name, List<Column> columns)
    {
        public string Name { get; } = name;
        public List<Column> Columns { get; } = columns;
        public DbCommand? Insert { get; set; }
    }

    private readonly Dictionary<Type, Table> _tables = [];
    private DbTransaction? _transaction;

    public long Rows { get; private set; }

    /// <summary>SQLite: the transaction the prepared INSERTs run in.</summary>
    public void UseTransaction(DbTransaction transaction) => _transaction = transaction;

    private Table TableOf<T>()
    {
        if (_tables.TryGetValue(typeof(T), out var known)) return known;
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model");
        var name = entity.GetTableName() ?? throw new InvalidOperationException($"{typeof(T).Name} has no table");
        var store = StoreObjectIdentifier.Table(name, entity.GetSchema());
        var columns = new List<Column>();
        foreach (var p in entity.GetProperties())
        {
            if (p.IsShadowProperty()) throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} is a shadow property: the bulk writer cannot read it");
            var getter = p.GetGetter();
            var mapping = p.GetRelationalTypeMapping();
            var converter = mapping.Converter;
            Func<object, object?> read = converter is null ? getter.GetClrValueUsingContainingEntity : e => getter.GetClrValueUsingContainingEntity(e) is { } v ? converter.ConvertToProvider(v) : null;
            columns.Add(new Column(p.GetColumnName(store) ?? p.Name, p, read, p.GetColumnType(store), null));
        }
        return _tables[typeof(T)] = new Table(name, columns);
    }

    public Task WriteAsync<T>(IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return Task.CompletedTask;
        Rows += rows.Count;
        return connection is NpgsqlConnection npgsql ? CopyAsync(npgsql, TableOf<T>(), rows, ct) : InsertAsync(TableOf<T>(), rows, ct);
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, Table table, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        var writers = table.Columns.Select(c => CopyWriter(c.StoreType)).ToArray();
        await using var copy = await connection.BeginBinaryImportAsync(
            $"COPY \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""))}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var row in rows)
        {
            copy.StartRow();
            for (var i = 0; i < writers.Length; i++)
            {
                if (table.Columns[i].Read(row) is { } value) writers[i](copy, value);
                else copy.WriteNull();
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>The store types the model uses (an unknown one fails loudly rather than writing the wrong bytes).</summary>
    private static Action<NpgsqlBinaryImporter, object> CopyWriter(string storeType)
    {
        var paren = storeType.IndexOf('(');
        return (paren < 0 ? storeType : storeType[..paren]).Trim() switch
        {
            "uuid" => (w, v) => w.Write((Guid)v, NpgsqlDbType.Uuid),
            "text" => (w, v) => w.Write((string)v, NpgsqlDbType.Text),
            "character varying" => (w, v) => w.Write((string)v, NpgsqlDbType.Varchar),
            "integer" => (w, v) => w.Write((int)v, NpgsqlDbType.Integer),
            "bigint" => (w, v) => w.Write((long)v, NpgsqlDbType.Bigint),
            "boolean" => (w, v) => w.Write((bool)v, NpgsqlDbType.Boolean),
            "date" => (w, v) => w.Write((DateOnly)v, NpgsqlDbType.Date),
            "timestamp with time zone" => (w, v) => w.Write((DateTime)v, NpgsqlDbType.TimestampTz),
            _ => throw new NotSupportedException($"bulk COPY of store type '{storeType}'"),
        };
    }

    private async Task InsertAsync<T>(Table table, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        if (table.Insert is null)
        {
            var cmd = connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""))}) " +
                              $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"$p{i}"))})";
            for (var i = 0; i < table.Columns.Count; i++)
            {
                // The model's type mapping makes the parameter (a Guid as the app's TEXT, an enum as its number …).
                var parameter = table.Columns[i].Property.GetRelationalTypeMapping().CreateParameter(cmd, $"$p{i}", null, nullable: true);
                cmd.Parameters.Add(parameter);
                table.Columns[i] = table.Columns[i] with { Parameter = parameter };
            }
            await cmd.PrepareAsync(ct);
            table.Insert = cmd;
        }
        foreach (var row in rows)
        {
            foreach (var c in table.Columns) c.Parameter!.Value = c.Read(row) ?? DBNull.Value;
            await table.Insert.ExecuteNonQueryAsync(ct);
        }
    }
}
