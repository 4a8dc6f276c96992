using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Linli.Web.Infrastructure.Privacy;

/// <summary>
/// Field encryption and keyed lookup hashes for personal data (ID numbers), behind one small interface so a
/// deployment that must pass a commercial-cryptography assessment (密评) can switch to SM4/SM3 by configuration.
/// </summary>
public interface IFieldCrypto
{
    string Encrypt(string plaintext);
    string Decrypt(string ciphertext);
    /// <summary>A keyed hash (HMAC) for exact lookups without decrypting.</summary>
    string LookupHash(string value);
}

/// <summary>The default provider: AES-256-GCM for fields, HMAC-SHA256 for lookups (.NET's own implementations).</summary>
public sealed class AesGcmFieldCrypto(FieldCryptoKeys keys) : IFieldCrypto
{
    private const string Version = "v1:";

    public string Encrypt(string plaintext)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[AesGcm.NonceByteSizes.MaxSize + AesGcm.TagByteSizes.MaxSize + plain.Length];
        var nonce = output.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = output.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(keys.FieldKey, AesGcm.TagByteSizes.MaxSize);
        aes.Encrypt(nonce, plain, output.AsSpan(nonce.Length + tag.Length), tag);
        return Version + Convert.ToBase64String(output);
    }

    public string Decrypt(string ciphertext)
    {
        if (!ciphertext.StartsWith(Version, StringComparison.Ordinal)) throw new CryptographicException("Unknown cipher format.");
        var data = Convert.FromBase64String(ciphertext[Version.Length..]);
        var nonce = data.AsSpan(0, AesGcm.NonceByteSizes.MaxSize);
        var tag = data.AsSpan(nonce.Length, AesGcm.TagByteSizes.MaxSize);
        var cipher = data.AsSpan(nonce.Length + tag.Length);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(keys.FieldKey, AesGcm.TagByteSizes.MaxSize);
        aes.Decrypt(nonce, cipher, tag, plain);
        return Encoding.UTF8.GetString(plain);
    }

    public string LookupHash(string value) => Convert.ToHexStringLower(HMACSHA256.HashData(keys.LookupKey, Encoding.UTF8.GetBytes(value)));
}

/// <summary>
/// The two keys: from configuration (<c>Crypto:FieldKey</c>, <c>Crypto:LookupKey</c>, base64 of 32 bytes; what a
/// multi-node deployment uses), else from a key file beside the SQLite database that is made on first start.
/// </summary>
public sealed class FieldCryptoKeys
{
    public required byte[] FieldKey { get; init; }
    public required byte[] LookupKey { get; init; }

    public static FieldCryptoKeys Load(IConfiguration config, string keyFile)
    {
        if (config["Crypto:FieldKey"] is { Length: > 0 } f && config["Crypto:LookupKey"] is { Length: > 0 } l)
            return Checked(Convert.FromBase64String(f), Convert.FromBase64String(l));
        if (File.Exists(keyFile))
        {
            var stored = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(keyFile))!;
            return Checked(Convert.FromBase64String(stored["field"]), Convert.FromBase64String(stored["lookup"]));
        }
        var keys = new FieldCryptoKeys { FieldKey = RandomNumberGenerator.GetBytes(32), LookupKey = RandomNumberGenerator.GetBytes(32) };
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        // Write aside and move into place, so that two processes starting together never see half a file;
        // if another one won the race, use its keys.
        var temp = keyFile + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["field"] = Convert.ToBase64String(keys.FieldKey),
            ["lookup"] = Convert.ToBase64String(keys.LookupKey),
        }));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            File.Move(temp, keyFile, overwrite: false);
        }
        catch (IOException) when (File.Exists(keyFile))
        {
            File.Delete(temp);
            return Load(config, keyFile);
        }
        return keys;
    }

    private static FieldCryptoKeys Checked(byte[] field, byte[] lookup) =>
        field.Length == 32 && lookup.Length == 32
            ? new FieldCryptoKeys { FieldKey = field, LookupKey = lookup }
            : throw new InvalidOperationException("Crypto:FieldKey and Crypto:LookupKey must each be 32 bytes (base64).");
}
