namespace Gateway.Crypto.Cms;

/// <summary>
/// The inner content of an envelope. AES-GCM content is <see cref="Authenticated"/>; AES-CBC content is not, and
/// carries the verdict on its padding instead, for the opener to answer alike for every failure that follows.
/// </summary>
internal readonly record struct DecryptedContent(byte[] Content, bool Authenticated, bool PaddingValid);
