using Linli.Web.Infrastructure.Errors;
using SkiaSharp;

namespace Linli.Web.Infrastructure.Media;

/// <summary>A photo checked and re-encoded in memory, ready to be written (nothing is on disk yet).</summary>
public sealed record PreparedPhoto(byte[] Image, byte[] Thumbnail, int Width, int Height);

/// <summary>
/// Photos people upload (work orders now; activities and diaries later). A photo is accepted by its bytes — JPEG,
/// PNG or WebP that actually decodes — never by its name; at most <see cref="MaxBytes"/>, read no further than that.
/// It is turned upright (EXIF orientation) and re-encoded as JPEG, which drops every metadata block: GPS position,
/// camera serial, time. A thumbnail goes with it for lists. Files live under <c>data/photos</c> (<c>Photos:Folder</c>).
/// </summary>
public sealed class PhotoStore(string root)
{
    public const long MaxBytes = 10L * 1024 * 1024;
    public const int MaxSide = 2560;
    public const int ThumbSide = 320;

    public string Root { get; } = root;

    /// <summary>Reads, checks and re-encodes one upload. A 400 naming <paramref name="field"/> when it is not a photo, 413 when too large.</summary>
    public static async Task<PreparedPhoto> PrepareAsync(Stream input, string field, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw new DomainException("photos.too_large", [10], StatusCodes.Status413PayloadTooLarge, field);
            buffer.Write(chunk, 0, read);
        }
        var bytes = buffer.ToArray();
        if (!LooksLikeImage(bytes)) throw DomainException.Invalid(field, "photos.not_image");
        using var codec = SKCodec.Create(new SKMemoryStream(bytes)) ?? throw DomainException.Invalid(field, "photos.not_image");
        using var decoded = SKBitmap.Decode(codec) ?? throw DomainException.Invalid(field, "photos.not_image");
        using var upright = Orient(decoded, codec.EncodedOrigin);
        using var image = Fit(upright, MaxSide);
        using var thumb = Fit(upright, ThumbSide);
        return new PreparedPhoto(Jpeg(image, 85), Jpeg(thumb, 75), image.Width, image.Height);
    }

    /// <summary>JPEG (FF D8 FF), PNG (89 50 4E 47 0D 0A 1A 0A) or WebP (RIFF … WEBP).</summary>
    public static bool LooksLikeImage(ReadOnlySpan<byte> b) =>
        (b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        || (b.Length > 8 && b[..8].SequenceEqual((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        || (b.Length > 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8));

    /// <summary>Writes a prepared photo; returns the file names relative to the root.</summary>
    public async Task<(string Image, string Thumbnail)> WriteAsync(Guid communityId, Guid id, PreparedPhoto photo, DateTime now, CancellationToken ct)
    {
        var folder = Path.Combine(communityId.ToString("N"), now.ToString("yyyyMM", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(Root, folder));
        var image = Path.Combine(folder, id.ToString("N") + ".jpg");
        var thumbnail = Path.Combine(folder, id.ToString("N") + ".thumb.jpg");
        await File.WriteAllBytesAsync(Path.Combine(Root, image), photo.Image, ct);
        await File.WriteAllBytesAsync(Path.Combine(Root, thumbnail), photo.Thumbnail, ct);
        return (image, thumbnail);
    }

    public string PathOf(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        return full.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal) ? full : throw new NotFoundException();
    }

    private static SKBitmap Orient(SKBitmap source, SKEncodedOrigin origin)
    {
        if (origin is SKEncodedOrigin.TopLeft or SKEncodedOrigin.Default) return source.Copy();
        var swap = origin is SKEncodedOrigin.LeftTop or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;
        var result = new SKBitmap(swap ? source.Height : source.Width, swap ? source.Width : source.Height);
        using var canvas = new SKCanvas(result);
        var (w, h) = (result.Width, result.Height);
        switch (origin)
        {
            case SKEncodedOrigin.TopRight: canvas.Scale(-1, 1, w / 2f, 0); break;
            case SKEncodedOrigin.BottomRight: canvas.RotateDegrees(180, w / 2f, h / 2f); break;
            case SKEncodedOrigin.BottomLeft: canvas.Scale(1, -1, 0, h / 2f); break;
            case SKEncodedOrigin.LeftTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); canvas.Scale(1, -1, 0, source.Height / 2f); break;
            case SKEncodedOrigin.RightTop: canvas.Translate(w, 0); canvas.RotateDegrees(90); break;
            case SKEncodedOrigin.RightBottom: canvas.Translate(0, h); canvas.RotateDegrees(-90); canvas.Scale(1, -1, 0, source.Height / 2f); break;
            case SKEncodedOrigin.LeftBottom: canvas.Translate(0, h); canvas.RotateDegrees(-90); break;
        }
        canvas.DrawBitmap(source, 0, 0);
        return result;
    }

    private static SKBitmap Fit(SKBitmap source, int maxSide)
    {
        var scale = Math.Min(1.0, maxSide / (double)Math.Max(source.Width, source.Height));
        if (scale >= 1.0) return source.Copy();
        var info = new SKImageInfo(Math.Max(1, (int)(source.Width * scale)), Math.Max(1, (int)(source.Height * scale)));
        return source.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
    }

    /// <summary>JPEG without any metadata; transparent pixels (PNG, WebP) land on white.</summary>
    private static byte[] Jpeg(SKBitmap bitmap, int quality)
    {
        using var flat = new SKBitmap(new SKImageInfo(bitmap.Width, bitmap.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(flat))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(bitmap, 0, 0);
        }
        using var image = SKImage.FromBitmap(flat);
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality) ?? throw new InvalidOperationException("JPEG encoding failed");
        return data.ToArray();
    }
}

public static class MediaSetup
{
    /// <summary>The photo store every module that takes photos shares (<c>Photos:Folder</c>, default <c>data/photos</c>).</summary>
    public static WebApplicationBuilder AddLinliMedia(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(new PhotoStore(builder.Configuration["Photos:Folder"]
            ?? Path.Combine(builder.Environment.ContentRootPath, "data", "photos")));
        return builder;
    }
}
